import { describe, expect, it } from 'vitest';
import { pendingTargets, slaState } from './sla';
import { choosePolicy } from './sla-policies';

const policy = (id: string, over: Record<string, unknown> = {}) =>
  ({
    id,
    name: id,
    priority: 'high',
    inbox_id: null,
    tag: null,
    first_response_minutes: 60,
    next_response_minutes: null,
    resolution_minutes: null,
    business_hours: false,
    warning_minutes: 10,
    breach_raise_priority: false,
    breach_reassign: false,
    created_at: new Date('2026-01-01T00:00:00Z'),
    ...over,
  }) as Parameters<typeof choosePolicy>[0][number];

describe('SLA policies', () => {
  it('picks the most specific policy for the priority', () => {
    const all = [
      policy('any'),
      policy('inbox', { inbox_id: 'i1' }),
      policy('tag', { tag: 'vip' }),
      policy('both', { inbox_id: 'i1', tag: 'vip' }),
      policy('low', { priority: 'low' }),
    ];
    expect(choosePolicy(all, { priority: 'high', inboxId: 'i1', tags: ['vip'] })?.id).toBe('both');
    expect(choosePolicy(all, { priority: 'high', inboxId: 'i2', tags: ['vip'] })?.id).toBe('tag');
    expect(choosePolicy(all, { priority: 'high', inboxId: 'i1', tags: [] })?.id).toBe('inbox');
    expect(choosePolicy(all, { priority: 'high', inboxId: 'i2', tags: [] })?.id).toBe('any');
    expect(choosePolicy(all, { priority: 'urgent', inboxId: 'i1', tags: [] })).toBeUndefined();
  });

  it('tracks state from pending targets, warnings and breaches', () => {
    const due = new Date('2026-11-23T10:00:00Z');
    const row = {
      sla_policy_id: 'p',
      sla_warned: [] as string[],
      sla_breached: [] as string[],
      first_response_due_at: due,
      next_response_due_at: null,
      resolution_due_at: null,
    };
    const open = { first_response_at: null, status_category: 'open' };
    expect(pendingTargets(row, open).map((t) => t.key)).toEqual(['first_response@2026-11-23T10:00:00.000Z']);
    expect(slaState(row, open)).toBe('ok');
    expect(slaState({ ...row, sla_warned: ['first_response@2026-11-23T10:00:00.000Z'] }, open)).toBe('warning');
    expect(slaState({ ...row, sla_breached: ['first_response@2026-11-23T10:00:00.000Z'] }, open)).toBe('breached');
    expect(slaState(row, { first_response_at: due, status_category: 'open' })).toBe('met');
    expect(slaState({ ...row, sla_policy_id: null }, open)).toBe('none');
  });
});
