import { RULE_ACTION_TYPES, RuleAction, RuleCondition } from '@autocrm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Issue 12: the condition and action language of routing and automation rules is written once
// (shared/src/schemas/rules.ts). The server parses saved rules with it, and the rules the API takes and
// returns are declared with it, so the generated contract types them for web/ (no hand-typed `StoredRule`).

describe(`rule conditions and actions are one wire schema (${BACKEND})`, () => {
  let s: TestServer;
  let doc: { components: { schemas: Record<string, { properties?: Record<string, unknown>; oneOf?: unknown[] }> } };

  beforeAll(async () => {
    s = await startTestServer();
    doc = (await (await fetch(`${s.url}/api/v1/openapi.json`)).json()) as typeof doc;
  });
  afterAll(() => s?.close());

  it('the document declares both rule kinds with the shared condition and action schemas', () => {
    for (const name of ['RoutingRule', 'AutomationRule']) {
      const props = doc.components.schemas[name]?.properties;
      expect(props?.conditions, name).toEqual({ type: 'array', items: { $ref: '#/components/schemas/RuleCondition' } });
      expect(props?.actions, name).toEqual({ type: 'array', items: { $ref: '#/components/schemas/RuleAction' } });
    }
    // What a client sends is declared with them too (the server still parses each item itself, so that an
    // error names the rule and the condition or action).
    for (const name of ['RoutingRuleInput', 'AutomationRuleInput']) {
      const props = doc.components.schemas[name]?.properties;
      expect(props?.conditions, name).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/RuleCondition' } });
      expect(props?.actions, name).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/RuleAction' } });
    }
    // One variant per condition field and per action type, each with its discriminator.
    expect(doc.components.schemas.RuleCondition?.oneOf?.length).toBe(12);
    expect(doc.components.schemas.RuleAction?.oneOf?.length).toBe(RULE_ACTION_TYPES.length);
  });

  it('what the API returns for a saved rule parses with the shared schemas', async () => {
    const team = await s.req('POST', '/teams', { auth: s.admin, body: { name: 'Contract team' } });
    expect(team.status, team.text).toBe(201);
    const routing = await s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: {
        name: 'Contract routing rule',
        conditions: [
          { field: 'tags', op: 'includes', value: 'VIP' },
          { field: 'language', op: 'is', value: ['de', 'fr'] },
        ],
        actions: [
          { type: 'route_to_team', teamId: team.body.id },
          { type: 'set_priority', priority: 'high' },
        ],
      },
    });
    expect(routing.status, routing.text).toBe(201);
    const automation = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'Contract automation rule',
        trigger: { type: 'customer_message' },
        conditions: [{ field: 'status', op: 'is', value: 'pending' }],
        actions: [{ type: 'add_note', body: 'Customer wrote while pending' }, { type: 'resolve' }],
      },
    });
    expect(automation.status, automation.text).toBe(201);
    for (const rule of [routing.body, automation.body]) {
      for (const c of rule.conditions) expect(RuleCondition.safeParse(c).error).toBeUndefined();
      for (const a of rule.actions) expect(RuleAction.safeParse(a).error).toBeUndefined();
    }
    expect(routing.body.conditions).toHaveLength(2);
    expect(automation.body.actions.map((a: { type: string }) => a.type)).toEqual(['add_note', 'resolve']);
  });
});
