import type { Priority } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { ConversationRoutingTable, SlaPoliciesTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import { ALWAYS_OPEN, addBusinessMinutes, type Calendar } from './business-hours';
import { choosePolicy } from './sla-policies';

export type SlaTarget = 'first_response' | 'next_response' | 'resolution';

export type SlaCalendarProps = {
  policy: Pick<Selectable<SlaPoliciesTable>, 'business_hours'>;
  teamId: string | null;
  calendars: ReadonlyMap<string, Calendar>;
};

/** The calendar a policy counts in: its team's business hours when it says so, else wall time. */
export function slaCalendar({ policy, teamId, calendars }: SlaCalendarProps) {
  return policy.business_hours && teamId ? (calendars.get(teamId) ?? ALWAYS_OPEN) : ALWAYS_OPEN;
}

export type ComputeSlaProps = {
  c: { priority: Priority; inboxId: string; tags: string[]; teamId: string | null; firstResponseAt: string | null };
  calendars: ReadonlyMap<string, Calendar>;
  now: Date;
  /** Every SLA policy, when the caller read them already (a batch); read here when left out. */
  policies?: SlaPolicyRow[];
};

export type SlaPolicyRow = Selectable<SlaPoliciesTable>;

export function loadSlaPolicies(db: Db): Promise<SlaPolicyRow[]> {
  return db.selectFrom('sla_policies').selectAll().execute();
}

/** Picks the policy for a conversation and the due times counted from `now`. */
export async function computeSla(trx: Db, { c, calendars, now, policies: given }: ComputeSlaProps) {
  const policies = given ?? (await loadSlaPolicies(trx));
  const policy = choosePolicy(policies, c);
  if (!policy) return { sla_policy_id: null, first_response_due_at: null, resolution_due_at: null, sla_state: 'none' as const };
  const cal = slaCalendar({ policy, teamId: c.teamId, calendars });
  const due = (m: number | null) => (m ? addBusinessMinutes({ cal, from: now, minutes: m }) : null);
  return {
    sla_policy_id: policy.id,
    first_response_due_at: c.firstResponseAt ? null : due(policy.first_response_minutes),
    resolution_due_at: due(policy.resolution_minutes),
    sla_state: 'ok' as const,
  };
}

/** Targets still running, with the key that marks their warning/breach once per occurrence. */
export function pendingTargets(
  r: Pick<Selectable<ConversationRoutingTable>, 'first_response_due_at' | 'next_response_due_at' | 'resolution_due_at'>,
  c: { first_response_at: Date | null; status_category: string },
): { target: SlaTarget; dueAt: Date; key: string }[] {
  if (c.status_category === 'resolved' || c.status_category === 'closed') return [];
  const out: { target: SlaTarget; dueAt: Date; key: string }[] = [];
  const add = (target: SlaTarget, dueAt: Date | null) => {
    if (dueAt) out.push({ target, dueAt, key: `${target}@${dueAt.toISOString()}` });
  };
  if (!c.first_response_at) add('first_response', r.first_response_due_at);
  add('next_response', r.next_response_due_at);
  add('resolution', r.resolution_due_at);
  return out;
}

export function slaState(
  r: Pick<
    Selectable<ConversationRoutingTable>,
    'sla_policy_id' | 'sla_warned' | 'sla_breached' | 'first_response_due_at' | 'next_response_due_at' | 'resolution_due_at'
  >,
  c: { first_response_at: Date | null; status_category: string },
): 'none' | 'ok' | 'warning' | 'breached' | 'met' {
  if (!r.sla_policy_id) return 'none';
  const pending = pendingTargets(r, c);
  if (pending.some((p) => r.sla_breached.includes(p.key))) return 'breached';
  if (pending.length === 0) return r.sla_breached.length ? 'breached' : 'met';
  return pending.some((p) => r.sla_warned.includes(p.key)) ? 'warning' : 'ok';
}
