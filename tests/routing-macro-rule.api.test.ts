import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingEngine } from '../server/src/domain/routing/routing-engine';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// A routing rule whose action is "apply macro": the shared macro's field changes land on the
// conversation when it is classified; a personal macro cannot be named; a macro that no longer fits is
// skipped (and audited) without stopping routing.
describe(`routing rules that apply a macro (${BACKEND})`, () => {
  let s: TestServer;
  let routing: RoutingEngine;

  beforeAll(async () => {
    s = await startTestServer();
    routing = s.deps.routing as RoutingEngine;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const conversationSaying = async (body: string) =>
    ok(
      await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {}, message: { body } } }),
      201,
    );
  const classified = async (id: string) => {
    await waitFor(async () => {
      await s.settle();
      await routing.settle();
      return (await s.req('GET', `/conversations/${id}/routing`, { auth: s.admin })).body.state !== 'new' || null;
    });
    return ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));
  };
  const rule = (name: string, word: string, macroId: string) =>
    s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: {
        name,
        conditions: [{ field: 'text', op: 'contains', value: word }],
        actions: [{ type: 'apply_macro', macroId }],
      },
    });

  it('applies the shared macro’s field changes when the rule fires, and only then', async () => {
    const team = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: 'Billing' } }), 201);
    const macro = ok(
      await s.req('POST', '/macros', {
        auth: s.admin,
        body: {
          name: 'Refund triage',
          body: '<p>Sorry about that, {{contact.name}}.</p>',
          visibility: 'shared',
          actions: [
            { type: 'set_priority', priority: 'urgent' },
            { type: 'add_tags', tags: ['refund'] },
            { type: 'set_team', teamId: team.id },
            { type: 'assign', assigneeId: 'me' },
          ],
        },
      }),
      201,
    );
    ok(await rule('Refunds', 'refund', macro.id), 201);

    const hit = await classified((await conversationSaying('I want a refund please')).id);
    expect(hit).toMatchObject({ priority: 'urgent', teamId: team.id, assigneeId: null });
    expect(hit.tags).toContain('refund');
    const miss = await classified((await conversationSaying('How do I log in?')).id);
    expect(miss.priority).not.toBe('urgent');
    expect(miss.tags).not.toContain('refund');
    // The macro's text is for a person's reply box: nothing was sent to the customer.
    const messages = ok(await s.req('GET', `/conversations/${hit.id}/messages`, { auth: s.admin })).data;
    expect(messages.map((m: { bodyText: string }) => m.bodyText)).toEqual(['I want a refund please']);
  });

  it('refuses a personal macro, and skips a macro that no longer fits without stopping routing', async () => {
    const mine = ok(
      await s.req('POST', '/macros', { auth: s.admin, body: { name: 'Mine', body: 'x', visibility: 'personal' } }),
      201,
    );
    const refused = await rule('Personal', 'anything', mine.id);
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0].path).toBe('actions.0.macroId');

    const team = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: 'Short-lived' } }), 201);
    const macro = ok(
      await s.req('POST', '/macros', {
        auth: s.admin,
        body: {
          name: 'To a team that will go',
          body: '',
          visibility: 'shared',
          actions: [
            { type: 'set_priority', priority: 'high' },
            { type: 'set_team', teamId: team.id },
          ],
        },
      }),
      201,
    );
    ok(await rule('Outage', 'outage', macro.id), 201);
    ok(await s.req('DELETE', `/teams/${team.id}`, { auth: s.admin }), 204);

    const c = await classified((await conversationSaying('There is an outage')).id);
    // All or nothing: the priority change of the skipped macro did not land either.
    expect(c.priority).not.toBe('high');
    const skipped = await s.deps.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', c.id)
      .where('action', '=', 'routing.macro_skipped')
      .execute();
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.after).toMatchObject({ macroId: macro.id, code: 'validation_failed' });
  });
});
