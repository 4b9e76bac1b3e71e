import { WebhookEventPayloads, type WebhookEventType } from '@autocrm/shared';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BACKEND, waitFor } from './helpers/test-server';
import {
  closeReceiversAfterAll,
  createConversation,
  created,
  deliveries,
  forConversation,
  key,
  type Received,
  s,
  sigHeaders,
  startReceiver,
  subscribe,
  useWebhooksServer,
  waitForValue,
} from './helpers/webhooks-server';

// Outbound webhooks to a real HTTP receiver on loopback: signatures, retries, backlog order, deletion and
// pausing. Subscriptions and the SSRF guard are in tests/webhooks-subscriptions.api.test.ts.
closeReceiversAfterAll();

describe(`outbound webhooks (${BACKEND})`, () => {
  useWebhooksServer();

  it('signs every delivery per Standard Webhooks, shows the secret once and sends only subscribed events', async () => {
    const receiver = await startReceiver();
    const hook = await subscribe(receiver.url, ['conversation.created', 'message.created'], { description: 'signed' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(hook.events).toEqual(['conversation.created', 'message.created']);
    expect(hook.active).toBe(true);

    const got = await s.req('GET', `/webhooks/${hook.id}`, { auth: key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: hook.id, url: receiver.url, description: 'signed' });
    expect(got.body).not.toHaveProperty('secret');
    expect(got.text).not.toContain(hook.secret);
    const list = await s.req('GET', '/webhooks', { auth: key });
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(hook.id);
    expect(list.text).not.toContain(hook.secret);

    const conv = await createConversation('Signed hooks', 'hello webhooks');
    await waitFor(() => forConversation(receiver, conv.id).length >= 2);
    const mine = forConversation(receiver, conv.id);
    expect(mine.map((r) => r.json.type).sort()).toEqual(['conversation.created', 'message.created']);

    const wh = new Webhook(hook.secret);
    for (const r of receiver.requests) {
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['webhook-id']).toMatch(/^msg_/);
      expect(Number(r.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 300);
      // Throws when the signature does not match: every request must verify.
      const verified = wh.verify(r.body, sigHeaders(r)) as { type: string; timestamp: string; data: unknown };
      expect(verified).toEqual(r.json);
      expect(Object.keys(r.json).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(new Date(r.json.timestamp).toISOString()).toBe(r.json.timestamp);
      expect(r.json.data.conversation.id).toBe(conv.id);
      // The payload schema is the one source of the contract: what is sent is exactly what it declares
      // (no field missing, no internal field such as an automation cause leaking into `data`).
      const schema = WebhookEventPayloads[r.json.type as WebhookEventType] as z.ZodObject;
      expect(schema.strict().safeParse(r.json.data).error).toBeUndefined();
    }
    const msgEvent = mine.find((r) => r.json.type === 'message.created')!;
    expect(msgEvent.json.data.message).toMatchObject({ conversationId: conv.id, bodyText: 'hello webhooks' });

    // The check is real: a tampered body, a wrong secret or a replayed id with another body fail.
    const sample = mine[0]!;
    expect(() => wh.verify(sample.body.replace(conv.id, '00000000-0000-4000-8000-000000000000'), sigHeaders(sample))).toThrow();
    expect(() => wh.verify(`${sample.body} `, sigHeaders(sample))).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(sample.body, sigHeaders(sample)),
    ).toThrow();
    expect(() => wh.verify(sample.body, { ...sigHeaders(sample), 'webhook-id': 'msg_other' })).toThrow();
    // Each event is its own message id.
    expect(new Set(mine.map((r) => r.headers['webhook-id'])).size).toBe(2);

    // conversation.updated is not subscribed: it is neither enqueued nor sent.
    const patched = await s.req('PATCH', `/conversations/${conv.id}`, { auth: key, body: { priority: 'urgent' } });
    expect(patched.status).toBe(200);
    const follow = await s.req('POST', `/conversations/${conv.id}/messages`, { auth: key, body: { body: 'second' } });
    expect(follow.status).toBe(201);
    await s.settle();
    await waitFor(() => forConversation(receiver, conv.id).length >= 3);
    const types = (await deliveries(hook.id)).map((d) => d.eventType).sort();
    expect(types).toEqual(['conversation.created', 'message.created', 'message.created']);
    await waitFor(async () => (await deliveries(hook.id)).every((d) => d.status === 'succeeded'));
    expect(receiver.requests.map((r) => r.json.type)).not.toContain('conversation.updated');
    expect(receiver.requests).toHaveLength(3);
  });

  it('retries a failing receiver with the same webhook-id until it succeeds, and logs it', async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    const hook = await subscribe(receiver.url, ['conversation.created']);
    const conv = await createConversation('Retry me');

    const [delivery] = await waitForValue(async () => {
      const d = await deliveries(hook.id);
      return d[0]?.status === 'succeeded' ? d : undefined;
    });
    expect(delivery).toMatchObject({
      eventType: 'conversation.created',
      status: 'succeeded',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(receiver.requests).toHaveLength(3);
    const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    expect([...ids]).toEqual([delivery!.id]);
    // The body is identical on every try; each try is signed (and verifies) on its own.
    const wh = new Webhook(hook.secret);
    for (const r of receiver.requests) {
      expect(r.body).toBe(receiver.requests[0]!.body);
      expect(wh.verify(r.body, sigHeaders(r))).toMatchObject({
        type: 'conversation.created',
        data: { conversation: { id: conv.id } },
      });
    }
  });

  it('keeps a delivery pending with growing attempts while the receiver fails, then redelivers it', async () => {
    const receiver = await startReceiver(() => 503);
    const hook = await subscribe(receiver.url, ['conversation.created']);
    const conv = await createConversation('Always failing');

    const first = await waitForValue(async () => {
      const d = (await deliveries(hook.id))[0];
      return d && d.attempts >= 1 ? d : undefined;
    });
    const later = await waitForValue(async () => {
      const d = (await deliveries(hook.id))[0];
      return d && d.attempts >= first.attempts + 2 ? d : undefined;
    });
    expect(later.status).toBe('pending');
    expect(later.lastStatusCode).toBe(503);
    expect(later.nextAttemptAt).not.toBeNull();
    expect(Date.parse(later.nextAttemptAt!)).toBeGreaterThan(Date.now() - 5_000);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(3);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([later.id]));

    // An unknown delivery id is a 404, not a crash.
    expect((await s.req('POST', '/webhook-deliveries/msg_nope/redeliver', { auth: key })).status).toBe(404);

    receiver.respond = () => 200;
    const re = await s.req('POST', `/webhook-deliveries/${later.id}/redeliver`, { auth: key });
    expect(re.status, re.text).toBe(200);
    expect(re.body).toMatchObject({ id: later.id, status: 'pending' });
    const done = await waitForValue(async () => {
      const d = (await deliveries(hook.id))[0];
      return d?.status === 'succeeded' ? d : undefined;
    });
    expect(done.id).toBe(later.id);
    expect(done.lastStatusCode).toBe(200);
    expect(done.nextAttemptAt).toBeNull();
    const ok = receiver.requests.at(-1)!;
    expect(ok.headers['webhook-id']).toBe(later.id);
    expect(new Webhook(hook.secret).verify(ok.body, sigHeaders(ok))).toMatchObject({ data: { conversation: { id: conv.id } } });
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);

    // Redelivering a delivery that already succeeded sends it once more, same id.
    const before = receiver.requests.length;
    expect((await s.req('POST', `/webhook-deliveries/${later.id}/redeliver`, { auth: key })).status).toBe(200);
    await waitFor(() => receiver.requests.length > before);
    expect(receiver.requests.at(-1)!.headers['webhook-id']).toBe(later.id);
  });

  it('holds a subscription in event order while its receiver is down and sends the backlog promptly, oldest first, once it is back', async () => {
    // The receiver answers 503 (down behind its proxy) until `down` flips.
    let down = true;
    const receiver = await startReceiver(() => (down ? 503 : 200));
    const hook = await subscribe(receiver.url, ['conversation.created', 'message.created']);
    const conv = await createConversation('Outage', 'event 0');
    for (let i = 1; i <= 4; i++) {
      const res = await s.req('POST', `/conversations/${conv.id}/messages`, { auth: key, body: { body: `event ${i}` } });
      expect(res.status, res.text).toBe(201);
    }
    await s.settle();
    const label = (r: Received) => (r.json.type === 'message.created' ? r.json.data.message.bodyText : r.json.type);

    // Long enough down that the plain exponential (1 ms, 2 ms, ... scaled) would be past its 5 min cap, and
    // read between two tries: while a try is being sent, its next attempt time is the send's lease instead.
    const cap = 300_000 * 0.0002 * 1.2 + 1;
    const waitOf = (d: { nextAttemptAt?: string | null; updatedAt?: string }) =>
      Date.parse(d.nextAttemptAt ?? '') - Date.parse(d.updatedAt ?? '');
    const held = await waitForValue(
      async () => {
        const d = await deliveries(hook.id);
        const head = d.filter((x) => x.attempts > 0) as unknown as {
          attempts: number;
          nextAttemptAt: string;
          updatedAt: string;
        }[];
        return d.length === 6 && head.some((x) => x.attempts >= 10 && waitOf(x) <= cap) ? d : undefined;
      },
      { timeoutMs: 40_000 },
    );
    // Only the oldest event is retried; the newer ones wait behind it, unsent.
    const head = held.filter((d) => d.attempts > 0);
    expect(head).toHaveLength(1);
    expect(held.every((d) => d.status === 'pending')).toBe(true);
    expect(new Set(receiver.requests.map((r) => label(r)))).toEqual(new Set(['conversation.created']));
    // ...and its next try is never further off than the capped wait (5 min, scaled, +20 % jitter).
    expect(waitOf(head[0] as unknown as { nextAttemptAt: string; updatedAt: string })).toBeLessThanOrEqual(cap);

    const sentWhileDown = receiver.requests.length;
    down = false;
    await waitFor(async () => (await deliveries(hook.id)).every((d) => d.status === 'succeeded'), { timeoutMs: 30_000 });
    const after = receiver.requests.slice(sentWhileDown);
    // Each held delivery went once, in event order, as soon as the first one got through.
    expect(after.map(label)).toEqual(['conversation.created', 'event 0', 'event 1', 'event 2', 'event 3', 'event 4']);
    const done = await deliveries(hook.id);
    expect(done.filter((d) => d.attempts > 1)).toHaveLength(1);
  });

  it('keeps sending to other subscriptions while one receiver hangs until the timeout', async () => {
    const hanging = await startReceiver(() => 0);
    const stuck = await subscribe(hanging.url, ['conversation.created']);
    const control = await startReceiver();
    await subscribe(control.url, ['conversation.created']);
    const first = await createConversation('While a receiver hangs 1');
    await waitFor(() => hanging.requests.length === 1 && forConversation(control, first.id).length === 1);
    const second = await createConversation('While a receiver hangs 2');
    await waitFor(() => forConversation(control, second.id).length === 1);
    // Still in flight: the hanging request has not timed out (nothing recorded), and the control did not wait for it.
    const held = await deliveries(stuck.id);
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(held.every((d) => d.attempts === 0)).toBe(true);
    await hanging.close();
  });

  it('stops delivering once a webhook is deleted, including retries already scheduled', async () => {
    const control = await startReceiver();
    await subscribe(control.url, ['conversation.created']);
    const failing = await startReceiver(() => 500);
    const doomed = await subscribe(failing.url, ['conversation.created']);
    const first = await createConversation('Before delete');
    await waitFor(() => forConversation(control, first.id).length === 1 && failing.requests.length >= 2);

    const del = await s.req('DELETE', `/webhooks/${doomed.id}`, { auth: key });
    expect(del.status).toBe(204);
    created.splice(created.indexOf(doomed.id), 1);
    expect((await s.req('GET', `/webhooks/${doomed.id}`, { auth: key })).status).toBe(404);
    expect((await s.req('GET', `/webhooks/${doomed.id}/deliveries`, { auth: key })).status).toBe(404);
    expect((await s.req('DELETE', `/webhooks/${doomed.id}`, { auth: key })).status).toBe(404);
    const seenAtDelete = failing.requests.length;

    // New events go to the remaining subscription only; scheduled retries of the deleted one stop
    // (at most one attempt that was already in flight may still land).
    for (const subject of ['After delete 1', 'After delete 2', 'After delete 3']) {
      const c = await createConversation(subject);
      await waitFor(() => forConversation(control, c.id).length === 1);
    }
    expect(failing.requests.length).toBeLessThanOrEqual(seenAtDelete + 1);
    expect(failing.requests.every((r) => r.json.data.conversation.id === first.id)).toBe(true);
  });

  it('holds deliveries while a webhook is paused and sends them when it is switched back on', async () => {
    const control = await startReceiver();
    const controlHook = await subscribe(control.url, ['conversation.created']);
    const receiver = await startReceiver();
    const hook = await subscribe(receiver.url, ['conversation.created']);

    const paused = await s.req('PATCH', `/webhooks/${hook.id}`, { auth: key, body: { active: false } });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body.active).toBe(false);
    expect((await s.req('GET', `/webhooks/${hook.id}`, { auth: key })).body.active).toBe(false);

    const conv = await createConversation('While paused');
    await s.settle();
    // The control subscription got the event; the paused one holds its delivery unsent.
    await waitFor(() => forConversation(control, conv.id).length === 1);
    // Both deliveries were due at once; by the time the control one is logged as sent, a worker
    // round has passed over the paused one too.
    await waitFor(async () => (await deliveries(controlHook.id))[0]?.status === 'succeeded');
    const held = await deliveries(hook.id);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ eventType: 'conversation.created', status: 'pending', attempts: 0 });
    expect(receiver.requests).toHaveLength(0);

    const resumed = await s.req('PATCH', `/webhooks/${hook.id}`, { auth: key, body: { active: true } });
    expect(resumed.status).toBe(200);
    // Goes out promptly (well within the 10 s default of waitFor), with the id it was held under.
    await waitFor(() => receiver.requests.length === 1, { timeoutMs: 5_000 });
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(held[0]!.id);
    expect(receiver.requests[0]!.json.data.conversation.id).toBe(conv.id);
    expect(new Webhook(hook.secret).verify(receiver.requests[0]!.body, sigHeaders(receiver.requests[0]!))).toBeTruthy();
    await waitFor(async () => (await deliveries(hook.id))[0]?.status === 'succeeded');
  });
});
