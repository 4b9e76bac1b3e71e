/** One agent as the assignment step sees them. */
export interface Candidate {
  userId: string;
  online: boolean;
  onShift: boolean;
  skills: ReadonlyMap<string, number>;
  load: number;
  capacity: number;
  channelLoad: number;
  /** Limit for the conversation's channel, when the agent has one. */
  channelCapacity: number | null;
  lastAssignedAt: Date | null;
}

export interface Need {
  requiredSkills: readonly { skillId: string; minLevel: number }[];
  exclude?: readonly string[];
}

export function eligible(c: Candidate, need: Need): boolean {
  return (
    c.online &&
    c.onShift &&
    !need.exclude?.includes(c.userId) &&
    c.load < c.capacity &&
    (c.channelCapacity === null || c.channelLoad < c.channelCapacity) &&
    need.requiredSkills.every((s) => (c.skills.get(s.skillId) ?? 0) >= s.minLevel)
  );
}

/**
 * Least loaded relative to capacity (compared exactly, by cross-multiplying), ties to whoever has
 * waited longest since their last assignment (never assigned first), then by id so the choice is
 * deterministic.
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const ratio = a.load * b.capacity - b.load * a.capacity;
  if (ratio !== 0) return ratio;
  const ta = a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const tb = b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

export function pickAgent(candidates: readonly Candidate[], need: Need): Candidate | undefined {
  return candidates.filter((c) => eligible(c, need)).sort(compareCandidates)[0];
}
