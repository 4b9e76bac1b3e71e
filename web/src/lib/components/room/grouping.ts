/**
 * How the room's history reads: consecutive messages of one author close together form a group (one name and
 * avatar for the group), and a separator names each new day. Pure functions over the timeline, no Svelte.
 */

/** Messages of one author more than this apart start a new group. */
export const GROUP_GAP_MS = 5 * 60_000;

export type GroupKey = { authorKind: string; authorId: string | null; private: boolean; at: string };

/** Whether `m` continues the group of `prev` (same author, same kind of message, within GROUP_GAP_MS). */
export function continuesGroup(prev: GroupKey | null, m: GroupKey): boolean {
  if (!prev) return false;
  return (
    prev.authorKind === m.authorKind &&
    prev.authorId === m.authorId &&
    prev.private === m.private &&
    m.authorKind !== 'system' &&
    Math.abs(new Date(m.at).getTime() - new Date(prev.at).getTime()) <= GROUP_GAP_MS
  );
}

/** The local calendar day of an instant, as YYYY-MM-DD in the given time zone (the browser's by default). */
export function dayKey(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** "Today", "Yesterday", or the date in the agent's language ("Monday, 30 November"). */
export function dayLabel(
  iso: string,
  now: number,
  words: { today: string; yesterday: string },
  locale = 'en',
  timeZone?: string,
): string {
  const day = dayKey(iso, timeZone);
  if (day === dayKey(new Date(now).toISOString(), timeZone)) return words.today;
  if (day === dayKey(new Date(now - 86_400_000).toISOString(), timeZone)) return words.yesterday;
  const sameYear = day.slice(0, 4) === dayKey(new Date(now).toISOString(), timeZone).slice(0, 4);
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(new Date(iso));
}

/** The clock time of a message ("14:05"), in the agent's language and time zone. */
export function clockTime(iso: string, locale = 'en', timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/**
 * Seq order, except that messages a merge moved in (`meta.mergedFrom`) stand before the first of the
 * room's own messages written after them: the two conversations read as one, interleaved by time.
 */
export function interleaveMerged<
  M extends { id: string; seq: number; createdAt: string; meta?: { mergedFrom?: unknown } | null },
>(messages: M[]): M[] {
  const bySeq = [...messages].sort((a, b) => a.seq - b.seq);
  const moved = bySeq.filter((m) => m.meta?.mergedFrom);
  if (!moved.length) return bySeq;
  const own = bySeq.filter((m) => !m.meta?.mergedFrom);
  const out: M[] = [];
  let i = 0;
  for (const m of own) {
    while (i < moved.length && (moved[i] as M).createdAt <= m.createdAt) out.push(moved[i++] as M);
    out.push(m);
  }
  while (i < moved.length) out.push(moved[i++] as M);
  return out;
}
