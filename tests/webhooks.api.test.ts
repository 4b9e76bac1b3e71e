import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventType, WebhookEventPayloads } from '@autocrm/shared';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// ---------------------------------------------------------------------------------------------
// A real HTTP receiver on 127.0.0.1 (port 0). `respond` picks the status code for the n-th
// request (1-based); it can be swapped at any time (`receiver.respond = ...`).
// ---------------------------------------------------------------------------------------------
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: any };
}

interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  respond: (n: number, r: Received) => number;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

async function startReceiver(respond: (n: number, r: Received) => number = () => 200): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    port: 0,
    requests: [],
    respond,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Received['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { type: '<not json>', timestamp: '', data: null };
      }
      const r: Received = { headers: req.headers, body, json };
      receiver.requests.push(r);
      res.statusCode = receiver.respond(receiver.requests.length, r);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  receivers.push(receiver);
  return receiver;
}

const sigHeaders = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

/** `waitFor` for a check that returns the value once it is there (typed without the miss). */
const waitForValue = async <T>(check: () => Promise<T | undefined | null | false>, opts?: { timeoutMs?: number }) =>
  (await waitFor(check, opts)) as T;

describe(`outbound webhooks (${BACKEND})`, () => {
  let s: TestServer;
  let key: string;
  const created: string[] = [];

  beforeAll(async () => {
    // 5 s base delay becomes ~1 ms, so a whole retry sequence runs in well under a second.
    s = await startTestServer({ webhookRetryScale: 0.0002 });
    key = await s.apiKey(['webhooks:manage', 'conversations:read', 'conversations:write']);
  });
  afterAll(() => s?.close());
  // Each test removes its subscriptions, so later tests' events do not reach earlier receivers.
  afterEach(async () => {
    for (const id of created.splice(0)) await s.req('DELETE', `/webhooks/${id}`, { auth: key });
  });

  const subscribe = async (url: string, events: string[], extra: Record<string, unknown> = {}) => {
    const res = await s.req('POST', '/webhooks', { auth: key, body: { url, events, ...extra } });
    expect(res.status, res.text).toBe(201);
    created.push(res.body.id);
    return res.body as { id: string; url: string; events: string[]; active: boolean; secret: string };
  };
  const createConversation = async (subject: string, message?: string) => {
    const res = await s.req('POST', '/conversations', {
      auth: key,
      body: {
        inboxId: s.inboxId,
        subject,
        contact: { email: 'webhooks@example.com' },
        ...(message ? { message: { body: message } } : {}),
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string };
  };
  const deliveries = async (webhookId: string) => {
    const res = await s.req('GET', `/webhooks/${webhookId}/deliveries?limit=100`, { auth: key });
    expect(res.status, res.text).toBe(200);
    return res.body.data as {
      id: string;
      eventType: string;
      status: string;
      attempts: number;
      lastStatusCode: number | null;
      lastError: string | null;
      nextAttemptAt: string | null;
    }[];
  };
  const forConversation = (r: Receiver, conversationId: string) =>
    r.requests.filter((x) => x.json.data?.conversation?.id === conversationId);

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
      const schema = WebhookEventPayloads[r.json.type as EventType] as z.ZodObject;
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

    // Long enough down that the plain exponential (1 ms, 2 ms, ... scaled) would be past its 5 min cap.
    const held = await waitForValue(
      async () => {
        const d = await deliveries(hook.id);
        return d.length === 6 && d.some((x) => x.attempts >= 10) ? d : undefined;
      },
      { timeoutMs: 40_000 },
    );
    // Only the oldest event is retried; the newer ones wait behind it, unsent.
    const head = held.filter((d) => d.attempts > 0);
    expect(head).toHaveLength(1);
    expect(held.every((d) => d.status === 'pending')).toBe(true);
    expect(new Set(receiver.requests.map((r) => label(r)))).toEqual(new Set(['conversation.created']));
    // ...and its next try is never further off than the capped wait (5 min, scaled, +20 % jitter).
    const { nextAttemptAt, updatedAt } = head[0] as unknown as { nextAttemptAt: string; updatedAt: string };
    expect(Date.parse(nextAttemptAt) - Date.parse(updatedAt)).toBeLessThanOrEqual(300_000 * 0.0002 * 1.2 + 1);

    const sentWhileDown = receiver.requests.length;
    down = false;
    await waitFor(async () => (await deliveries(hook.id)).every((d) => d.status === 'succeeded'), { timeoutMs: 30_000 });
    const after = receiver.requests.slice(sentWhileDown);
    // Each held delivery went once, in event order, as soon as the first one got through.
    expect(after.map(label)).toEqual(['conversation.created', 'event 0', 'event 1', 'event 2', 'event 3', 'event 4']);
    const done = await deliveries(hook.id);
    expect(done.filter((d) => d.attempts > 1)).toHaveLength(1);
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

  it('rejects bad subscriptions with 400 naming the field and stores nothing', async () => {
    const receiver = await startReceiver();
    const before = (await s.req('GET', '/webhooks', { auth: key })).body.data.length;
    const bad: [unknown, string][] = [
      [{ url: 'ftp://127.0.0.1/x', events: ['conversation.created'] }, 'url'],
      [{ url: 'javascript:alert(1)', events: ['conversation.created'] }, 'url'],
      [{ url: 'not a url', events: ['conversation.created'] }, 'url'],
      [{ url: receiver.url, events: ['conversation.exploded'] }, 'events.0'],
      [{ url: receiver.url, events: [] }, 'events'],
      [{ url: receiver.url }, 'events'],
      [{ url: receiver.url, events: ['conversation.created'], secret: 'whsec_mine' }, ''],
    ];
    for (const [body, path] of bad) {
      const res = await s.req('POST', '/webhooks', { auth: key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      if (path)
        expect(
          res.body.error.issues.map((i: { path: string }) => i.path),
          JSON.stringify(body),
        ).toContain(path);
    }
    const hook = await subscribe(receiver.url, ['conversation.created']);
    for (const body of [
      { url: 'ftp://127.0.0.1/x' },
      { events: [] },
      { events: ['nope'] },
      { url: 'http://169.254.169.254/latest/meta-data' },
    ]) {
      const res = await s.req('PATCH', `/webhooks/${hook.id}`, { auth: key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await s.req('GET', `/webhooks/${hook.id}`, { auth: key })).body).toMatchObject({
      url: receiver.url,
      events: ['conversation.created'],
    });
    expect((await s.req('GET', '/webhooks', { auth: key })).body.data.length).toBe(before + 1);
  });

  it('delivers to a host name (resolved, checked and connected at send time)', async () => {
    const receiver = await startReceiver();
    const hook = await subscribe(`http://localhost:${receiver.port}/named`, ['conversation.created']);
    const conv = await createConversation('By name');
    await waitFor(() => forConversation(receiver, conv.id).length === 1);
    const r = forConversation(receiver, conv.id)[0]!;
    expect(new Webhook(hook.secret).verify(r.body, sigHeaders(r))).toMatchObject({ type: 'conversation.created' });
    const [d] = await waitForValue(async () => {
      const list = await deliveries(hook.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    expect(d).toMatchObject({ attempts: 1, lastStatusCode: 200, lastError: null });
  });

  it('needs the webhooks:manage scope', async () => {
    const other = await s.apiKey(['conversations:read', 'conversations:write']);
    expect((await s.req('GET', '/webhooks', { auth: other })).status).toBe(403);
    expect((await s.req('POST', '/webhooks', { auth: other, body: { url: 'http://127.0.0.1:9/x', events: ['*'] } })).status).toBe(
      403,
    );
    expect((await s.req('GET', '/webhooks')).status).toBe(401);
  });

  it('refuses link-local (cloud metadata) targets even with loopback allowed', async () => {
    const res = await s.req('POST', '/webhooks', {
      auth: key,
      body: { url: 'http://169.254.169.254/latest/meta-data', events: ['*'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['url']);
    // ...while loopback itself is allowed here.
    const receiver = await startReceiver();
    await subscribe(receiver.url, ['*']);
  });
});

describe(`webhook SSRF guard with no private targets allowed (${BACKEND})`, () => {
  let s: TestServer;
  let key: string;
  let receiver: Receiver;

  beforeAll(async () => {
    s = await startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE: '' }, webhookRetryScale: 0.0002 });
    key = await s.apiKey(['webhooks:manage', 'conversations:write']);
    receiver = await startReceiver();
  });
  afterAll(() => s?.close());

  it('refuses loopback, private, link-local and localhost URLs with 400 naming url, storing nothing', async () => {
    const urls = [
      receiver.url,
      'http://10.0.0.5/x',
      'http://192.168.1.1/x',
      'http://172.16.0.1/x',
      'http://100.64.0.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://[fd00::1]/x',
      'http://[fe80::1]/x',
      'http://0.0.0.0/x',
      'http://localhost/x',
      `http://localhost:${receiver.port}/x`,
      // Other spellings of 127.0.0.1 that the URL parser normalises.
      'http://2130706433/x',
      'http://0x7f000001/x',
      'http://127.1/x',
    ];
    for (const url of urls) {
      const res = await s.req('POST', '/webhooks', { auth: key, body: { url, events: ['*'] } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe('validation_failed');
      expect(
        res.body.error.issues.map((i: { path: string }) => i.path),
        url,
      ).toEqual(['url']);
    }
    const list = await s.req('GET', '/webhooks', { auth: key });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('re-checks the address at delivery time (a stored URL that now points at loopback is not called)', async () => {
    // One subscription per target: a subscription's deliveries go in event order, so a second event
    // would wait behind the first one's retries.
    for (const url of [receiver.url, `http://localhost:${receiver.port}/hook`]) {
      // A public IP literal passes the check at subscription time (no DNS needed)...
      const created = await s.req('POST', '/webhooks', {
        auth: key,
        body: { url: 'http://93.184.216.34/hook', events: ['conversation.created'] },
      });
      expect(created.status, created.text).toBe(201);
      // ...then the target changes under it (DNS rebinding, or a policy tightened after the
      // subscription was saved). Simulated by writing the stored URL directly.
      await s.deps.db.updateTable('webhooks').set({ url }).where('id', '=', created.body.id).execute();
      const conv = await s.req('POST', '/conversations', {
        auth: key,
        body: { inboxId: s.inboxId, subject: `rebinding ${url}` },
      });
      expect(conv.status).toBe(201);
      await s.settle();
      const d = await waitForValue(async () => {
        const list = (await s.req('GET', `/webhooks/${created.body.id}/deliveries`, { auth: key })).body.data as {
          eventType: string;
          attempts: number;
          status: string;
          lastStatusCode: number | null;
          lastError: string | null;
        }[];
        const mine = list[0];
        return mine && mine.attempts >= 2 ? mine : undefined;
      });
      expect(d.status, url).toBe('pending');
      expect(d.lastStatusCode, url).toBeNull();
      expect(d.lastError, url).toMatch(/refused/);
      expect(receiver.requests, url).toHaveLength(0);
    }
  });
});
