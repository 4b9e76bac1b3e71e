import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import type { RoutingEngine } from '../server/src/workers/routing-rounds';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Automation's "call a webhook" (signed, queued, retried) and "set custom field" actions, the generic
// "conversation updated" trigger with its changed-field filter, SLA warning/breach triggers through real
// SLA timing on a clock the test moves, and system lines that do not count as activity.
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe(`automation: webhook and custom field actions, update and SLA triggers (${BACKEND})`, () => {
  let s: TestServer;
  const clock = new ManualClock(new Date());
  const ruleIds: string[] = [];
  const received: Received[] = [];
  let respond: (n: number) => number = () => 200;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = respond(received.length);
      res.end('ok');
    });
  });
  let receiverUrl = '';

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const conversation = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));
  const systemLines = async (id: string) =>
    (
      ok(await s.req('GET', `/conversations/${id}/messages?limit=100`, { auth: s.admin })).data as {
        authorKind: string;
        private: boolean;
        bodyText: string;
      }[]
    )
      .filter((m) => m.authorKind === 'system' && m.private)
      .map((m) => m.bodyText);
  const firings = async (query: string) =>
    ok(await s.req('GET', `/automation/firings?${query}`, { auth: s.admin })).data as {
      ruleId: string;
      conversationId: string;
      eventType: string;
      result: string;
      error: string | null;
    }[];
  const create = async (subject: string, extra: Record<string, unknown> = {}) =>
    ok(
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, subject, contact: {}, message: { body: `about ${subject}`, from: 'contact' }, ...extra },
      }),
      201,
    ) as { id: string; number: number };
  const patch = async (id: string, body: Record<string, unknown>) => {
    ok(await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body }));
    await s.settle();
  };
  const rule = async (body: Record<string, unknown>) => {
    const r = ok(await s.req('POST', '/automation/rules', { auth: s.admin, body }), 201);
    ruleIds.push(r.id);
    return r as { id: string };
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/automation`;
    // The 3-day retry schedule shrunk to milliseconds.
    s = await startTestServer({ clock, webhookRetryScale: 0.0002 });
    for (const f of [
      { key: 'plan', label: 'Plan', type: 'single_select', options: ['free', 'pro'] },
      { key: 'seats', label: 'Seats', type: 'number' },
    ])
      ok(await s.req('POST', '/custom-fields', { auth: s.admin, body: f }), 201);
  }, 180_000);
  afterEach(async () => {
    for (const id of ruleIds.splice(0)) await s.req('DELETE', `/automation/rules/${id}`, { auth: s.admin });
  });
  afterAll(async () => {
    await s?.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('call a webhook: a signed POST queued with the firing, retried until the endpoint answers, recorded in the firing', async () => {
    const hook = ok(
      await s.req('POST', '/webhooks', {
        auth: s.admin,
        // The endpoint subscribes to an event this test never causes: only the rule's call reaches it.
        body: { url: receiverUrl, events: ['conversation.rated'], description: 'Automation target' },
      }),
      201,
    ) as { id: string; secret: string };
    const bad = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'Unknown hook',
        trigger: { type: 'customer_message' },
        conditions: [],
        actions: [{ type: 'call_webhook', webhookId: '00000000-0000-4000-8000-000000000000' }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('actions.0.webhookId');

    respond = (n) => (n === 1 ? 503 : 200); // the first attempt fails, the retry succeeds
    const r = await rule({
      name: 'Tell the CRM about urgent ones',
      trigger: { type: 'customer_message' },
      conditions: [{ field: 'text', op: 'contains', value: 'outage' }],
      actions: [{ type: 'call_webhook', webhookId: hook.id }],
    });
    const quiet = await create('Nothing special');
    const c = await create('Total outage');
    await s.settle();
    await waitFor(() => received.length >= 2, { timeoutMs: 20_000 });
    // Both attempts are the same delivery (same webhook-id), signed with the endpoint's secret.
    expect(received[0]!.headers['webhook-id']).toBe(received[1]!.headers['webhook-id']);
    const last = received[1]!;
    const payload = new Webhook(hook.secret).verify(last.body, {
      'webhook-id': String(last.headers['webhook-id']),
      'webhook-timestamp': String(last.headers['webhook-timestamp']),
      'webhook-signature': String(last.headers['webhook-signature']),
    }) as { type: string; data: { rule: { id: string }; trigger: string; conversation: { id: string } } };
    expect(payload.type).toBe('automation.rule_fired');
    expect(payload.data.rule.id).toBe(r.id);
    expect(payload.data.trigger).toBe('message.created');
    expect(payload.data.conversation.id).toBe(c.id);
    expect(received.some((x) => x.body.includes(quiet.id))).toBe(false);
    // The firing names the delivery; the endpoint's delivery log shows it succeeded on the second attempt.
    const [firing] = await firings(`ruleId=${r.id}`);
    expect(firing).toMatchObject({ conversationId: c.id, result: 'ok' });
    const line = (await systemLines(c.id)).find((l) => l.includes('Tell the CRM'));
    expect(line).toContain(`delivery ${received[0]!.headers['webhook-id']}`);
    const deliveries = await waitFor(async () => {
      const d = ok(await s.req('GET', `/webhooks/${hook.id}/deliveries?limit=10`, { auth: s.admin })).data as {
        eventType: string;
        status: string;
        attempts: number;
      }[];
      return d[0]?.status === 'succeeded' ? d : null;
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries?.[0]).toMatchObject({ eventType: 'automation.rule_fired', attempts: 2 });
    ok(await s.req('DELETE', `/webhooks/${hook.id}`, { auth: s.admin }), 204);
  });

  it('set custom field: checked against the field type when saved, set (and audited as an update) when fired', async () => {
    const wrongType = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'Bad seats',
        trigger: { type: 'customer_message' },
        conditions: [],
        actions: [{ type: 'set_custom_field', key: 'seats', value: 'many' }],
      },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toContain('actions.0.value');
    const notAnOption = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'Bad plan',
        trigger: { type: 'customer_message' },
        conditions: [],
        actions: [{ type: 'set_custom_field', key: 'plan', value: 'enterprise' }],
      },
    });
    expect(notAnOption.status).toBe(400);
    const unknown = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'Bad key',
        trigger: { type: 'customer_message' },
        conditions: [],
        actions: [{ type: 'set_custom_field', key: 'colour', value: 'red' }],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('actions.0.key');

    await rule({
      name: 'Pro customers',
      trigger: { type: 'customer_message' },
      conditions: [{ field: 'text', op: 'contains', value: 'pro plan' }],
      actions: [
        { type: 'set_custom_field', key: 'plan', value: 'pro' },
        { type: 'set_custom_field', key: 'seats', value: 25 },
      ],
    });
    const c = await create('Upgrade', { message: { body: 'We are on the pro plan', from: 'contact' } });
    await s.settle();
    expect((await conversation(c.id)).customFields).toEqual({ plan: 'pro', seats: 25 });
  });

  it('conversation updated: fires on the watched fields only, not on status or assignee changes', async () => {
    const any = await rule({
      name: 'Any watched change',
      trigger: { type: 'conversation_updated' },
      conditions: [],
      actions: [{ type: 'add_note', body: 'something changed' }],
    });
    const prio = await rule({
      name: 'Priority or subject',
      trigger: { type: 'conversation_updated', fields: ['priority', 'subject'] },
      conditions: [{ field: 'priority', op: 'is', value: 'urgent' }],
      actions: [{ type: 'add_tags', tags: ['escalated'] }],
    });
    const bad = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'x',
        trigger: { type: 'conversation_updated', fields: ['colour'] },
        conditions: [],
        actions: [{ type: 'resolve' }],
      },
    });
    expect(bad.status).toBe(400);

    const c = await create('Watch me');
    await s.settle();
    expect(await firings(`ruleId=${any.id}`)).toHaveLength(0); // created, not updated
    const statuses = ok(await s.req('GET', '/statuses', { auth: s.admin })).data as { id: string; category: string }[];
    await patch(c.id, { statusId: statuses.find((x) => x.category === 'pending')!.id });
    expect(await firings(`ruleId=${any.id}`)).toHaveLength(0); // status has its own trigger

    await patch(c.id, { priority: 'urgent' });
    // The priority rule adds a tag (depth 1), which is itself an update the "any" rule sees.
    expect((await conversation(c.id)).tags).toContain('escalated');
    const anyFirings = await firings(`ruleId=${any.id}`);
    expect(anyFirings.length).toBe(2);
    expect(anyFirings.every((f) => f.eventType === 'conversation.updated' && f.result === 'ok')).toBe(true);
    expect(await firings(`ruleId=${prio.id}`)).toHaveLength(1);

    await patch(c.id, { customFields: { seats: 3 } });
    expect(await firings(`ruleId=${any.id}`)).toHaveLength(3);
    expect(await firings(`ruleId=${prio.id}`)).toHaveLength(1); // custom fields are not watched by it
  });

  it('SLA warning and breach rules fire from the SLA timers as the clock passes the targets', async () => {
    ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'Urgent SLA', priority: 'urgent', firstResponseMinutes: 30, warningMinutes: 10 },
      }),
      201,
    );
    const team = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: 'SLA team' } }), 201);
    const warn = await rule({
      name: 'Warn',
      trigger: { type: 'sla_warning' },
      conditions: [],
      actions: [{ type: 'add_tags', tags: ['sla-warning'] }],
    });
    const breach = await rule({
      name: 'Breach',
      trigger: { type: 'sla_breached' },
      conditions: [],
      actions: [{ type: 'set_custom_field', key: 'plan', value: 'pro' }],
    });
    const routing = s.deps.routing as RoutingEngine;
    const c = await create('Deadline', { teamId: team.id, priority: 'urgent' });
    await waitFor(async () => {
      const r = ok(await s.req('GET', `/conversations/${c.id}/routing`, { auth: s.admin }));
      return r.sla?.state === 'ok';
    });
    await routing.settle();
    await s.settle();
    expect(await firings(`ruleId=${warn.id}`)).toHaveLength(0);

    clock.advanceMinutes(21); // inside the 10-minute warning window
    await routing.settle();
    await s.settle();
    expect((await firings(`ruleId=${warn.id}`)).map((f) => f.eventType)).toEqual(['sla.warning']);
    expect((await conversation(c.id)).tags).toContain('sla-warning');
    expect(await firings(`ruleId=${breach.id}`)).toHaveLength(0);

    clock.advanceMinutes(10); // past the first-response target
    await routing.settle();
    await s.settle();
    expect((await firings(`ruleId=${breach.id}`)).map((f) => f.eventType)).toEqual(['sla.breached']);
    expect((await conversation(c.id)).customFields.plan).toBe('pro');
    // Once each: more ticks fire nothing more.
    await routing.settle();
    await s.settle();
    expect(await firings(`ruleId=${warn.id}`)).toHaveLength(1);
    expect(await firings(`ruleId=${breach.id}`)).toHaveLength(1);
  });

  it('an automation system line does not count as activity (auto-resolve counts idle time from the people)', async () => {
    await rule({
      name: 'Note on tag',
      trigger: { type: 'tag_added', tag: 'followup' },
      conditions: [],
      actions: [{ type: 'add_note', body: 'Follow-up noted' }],
    });
    const c = await create('Idle countdown');
    await s.settle();
    const before = (await conversation(c.id)).lastActivityAt;
    await new Promise((r) => setTimeout(r, 30));
    await patch(c.id, { addTags: ['followup'] });
    expect((await systemLines(c.id)).some((l) => l.includes('Follow-up noted'))).toBe(true);
    expect((await conversation(c.id)).lastActivityAt).toBe(before);
  });
});
