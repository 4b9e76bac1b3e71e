import { AppError } from '@autocrm/shared';
import { describe, expect, it } from 'vitest';
import { evaluateRules, type Facts } from './evaluate-rules';
import type { Rule } from './rule-types';
import { assertNoLoops, parseRule, type RuleCatalog } from './validate-rules';

const TEAM = '00000000-0000-4000-8000-000000000001';
const SKILL = '00000000-0000-4000-8000-000000000002';
const INBOX = '00000000-0000-4000-8000-000000000003';
const MACRO = '00000000-0000-4000-8000-000000000004';
const catalog: RuleCatalog = {
  teamIds: new Set([TEAM]),
  skillIds: new Set([SKILL]),
  userIds: new Set(),
  inboxIds: new Set([INBOX]),
  sharedMacroIds: new Set([MACRO]),
  customFields: new Map([
    ['plan', { type: 'single_select', options: ['free', 'pro'] }],
    ['seats', { type: 'number', options: [] }],
  ]),
};
let n = 0;
const rule = (name: string, conditions: Record<string, unknown>[], actions: Record<string, unknown>[]) =>
  parseRule({ draft: { id: `r${++n}`, name, conditions, actions }, catalog });
const facts = (over: Partial<Facts> = {}): Facts => ({
  inboxId: INBOX,
  channel: 'web',
  tags: [],
  priority: 'normal',
  language: null,
  customFields: {},
  text: '',
  contactAttributes: {},
  now: new Date('2026-11-23T10:00:00Z'),
  calendars: new Map(),
  ...over,
});
const rejection = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
};

describe('rule evaluation', () => {
  it('fires matching rules in order and accumulates their actions', () => {
    const rules = [
      rule(
        'billing to team',
        [{ field: 'text', op: 'contains', value: ['invoice', 'refund'] }],
        [
          { type: 'route_to_team', teamId: TEAM },
          { type: 'add_tags', tags: ['Billing'] },
        ],
      ),
      rule(
        'pro is high',
        [{ field: 'custom_field', key: 'plan', op: 'equals', value: 'pro' }],
        [{ type: 'set_priority', priority: 'high' }],
      ),
      rule('german', [{ field: 'language', op: 'is', value: 'de' }], [{ type: 'require_skill', skillId: SKILL, minLevel: 2 }]),
    ];
    const out = evaluateRules(rules, facts({ text: 'Where is my INVOICE?', customFields: { plan: 'pro' }, language: 'de-AT' }));
    expect(out.fired.map((f) => f.rule.name)).toEqual(['billing to team', 'pro is high', 'german']);
    expect(out).toMatchObject({
      teamId: TEAM,
      priority: 'high',
      tags: ['billing'],
      requiredSkills: [{ skillId: SKILL, minLevel: 2 }],
    });
    const none = evaluateRules(rules, facts({ text: 'hello', customFields: { plan: 'free' } }));
    expect(none.fired).toEqual([]);
  });

  it('lets an earlier rule see what a later one did, each rule firing once', () => {
    const rules = [
      rule('vip to team', [{ field: 'tags', op: 'includes', value: 'vip' }], [{ type: 'route_to_team', teamId: TEAM }]),
      rule(
        'big accounts are vip',
        [{ field: 'custom_field', key: 'seats', op: 'gt', value: 100 }],
        [{ type: 'add_tags', tags: ['vip'] }],
      ),
    ];
    const out = evaluateRules(rules, facts({ customFields: { seats: 250 } }));
    expect(out.fired.map((f) => f.rule.name)).toEqual(['big accounts are vip', 'vip to team']);
    expect(out.teamId).toBe(TEAM);
  });

  it('checks contact attributes, channel, priority thresholds and business hours', () => {
    const rules = [
      rule(
        'after hours',
        [{ field: 'business_hours', teamId: TEAM, value: 'closed' }],
        [{ type: 'add_tags', tags: ['after-hours'] }],
      ),
      rule(
        'madrid email urgent+',
        [
          { field: 'contact_attribute', key: 'city', op: 'equals', value: 'madrid' },
          { field: 'channel', op: 'is', value: ['email'] },
          { field: 'priority', op: 'at_least', value: 'high' },
        ],
        [{ type: 'apply_macro', macroId: MACRO }],
      ),
    ];
    const calendars = new Map([
      [TEAM, { timeZone: 'Asia/Tokyo', hours: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: [] }],
    ]);
    // Monday 10:00 UTC is 19:00 in Tokyo: closed.
    const out = evaluateRules(
      rules,
      facts({ calendars, channel: 'email', priority: 'urgent', contactAttributes: { city: 'Madrid' } }),
    );
    expect(out.fired.map((f) => f.rule.name)).toEqual(['after hours', 'madrid email urgent+']);
    expect(out.macroIds).toEqual([MACRO]);
    const open = evaluateRules(rules, facts({ calendars, now: new Date('2026-11-23T01:00:00Z'), priority: 'normal' }));
    expect(open.fired).toEqual([]);
  });
});

describe('rule validation', () => {
  it('rejects an unknown field, naming the rule and the condition', () => {
    const err = rejection(() =>
      rule('Colourful', [{ field: 'colour', op: 'is', value: 'red' }], [{ type: 'add_tags', tags: ['x'] }]),
    );
    expect(err.message).toMatch(/^rule "Colourful": conditions\.0\.field: unknown field "colour"/);
    expect(err.issues?.[0]?.path).toBe('conditions.0.field');
  });

  it('rejects a wrong type', () => {
    const err = rejection(() =>
      rule('Seats', [{ field: 'custom_field', key: 'seats', op: 'gt', value: 'many' }], [{ type: 'add_tags', tags: ['x'] }]),
    );
    expect(err.message).toContain(
      'rule "Seats": conditions.0.value: custom field "seats" is number: expected a number, got string',
    );
    const prio = rejection(() => rule('Prio', [{ field: 'priority', op: 'is', value: 5 }], [{ type: 'add_tags', tags: ['x'] }]));
    expect(prio.message).toMatch(/^rule "Prio": conditions\.0\.value/);
    const action = rejection(() => rule('Act', [], [{ type: 'route_to_team', teamId: '00000000-0000-4000-8000-00000000dead' }]));
    expect(action.message).toContain('rule "Act": actions.0.teamId: unknown team');
    const unknownAction = rejection(() => rule('Act2', [], [{ type: 'teleport' }]));
    expect(unknownAction.message).toContain('unknown action "teleport"');
    const extra = rejection(() =>
      rule('Extra', [{ field: 'tags', op: 'includes', value: 'a', colour: 1 }], [{ type: 'add_tags', tags: ['x'] }]),
    );
    expect(extra.message).toContain('unknown key(s) "colour"');
  });

  it('rejects rules that re-trigger each other, naming the loop', () => {
    const a = rule(
      'Tag urgent',
      [{ field: 'tags', op: 'includes', value: 'escalated' }],
      [{ type: 'set_priority', priority: 'urgent' }],
    );
    const b = rule(
      'Escalate urgent',
      [{ field: 'priority', op: 'is', value: 'urgent' }],
      [{ type: 'add_tags', tags: ['escalated'] }],
    );
    const c = rule('Unrelated', [{ field: 'tags', op: 'includes', value: 'vip' }], [{ type: 'add_tags', tags: ['escalated'] }]);
    expect(() => assertNoLoops([a, c])).not.toThrow();
    const err = rejection(() => assertNoLoops([a, b, c], 'Escalate urgent'));
    expect(err.message).toContain('rule "Escalate urgent" forms a loop');
    expect(err.message).toContain('"Tag urgent" → "Escalate urgent" → "Tag urgent"');
    // A disabled rule cannot loop.
    expect(() => assertNoLoops([a, { ...b, enabled: false } as Rule])).not.toThrow();
  });
});
