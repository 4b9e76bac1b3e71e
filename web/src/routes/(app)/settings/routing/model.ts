// Routing settings as the page works with them (the API's shapes, see shared/src/schemas/routing.ts).

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export interface Team {
  id: string;
  name: string;
  timeZone: string;
  businessHours: Partial<Record<(typeof WEEKDAYS)[number], { start: string; end: string }[]>>;
  holidays: { date: string; name: string }[];
  overflow: { afterMinutes: number | null; teamId: string | null; relaxSkills: boolean };
  members: { userId: string; name: string; isLead: boolean }[];
}
export interface Skill {
  id: string;
  name: string;
  kind: 'language' | 'product' | 'other';
  code: string | null;
}
export interface AgentRouting {
  userId: string;
  name: string;
  skills: { skillId: string; level: number; name: string }[];
  shifts: { weekday: string; start: string; end: string; timeZone: string }[];
  capacity: { max: number; perChannel: Record<string, number> };
  presence: 'online' | 'away' | 'offline';
  load: number;
}
export interface Rule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  match: 'all' | 'any';
  conditions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
}
export interface SlaPolicy {
  id: string;
  name: string;
  priority: (typeof PRIORITIES)[number];
  inboxId: string | null;
  tag: string | null;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: boolean;
  warningMinutes: number;
  breachRaisePriority: boolean;
  breachReassign: boolean;
}
