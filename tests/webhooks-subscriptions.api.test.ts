import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';
import {
  closeReceiversAfterAll,
  createConversation,
  deliveries,
  forConversation,
  key,
  type Receiver,
  s,
  sigHeaders,
  startReceiver,
  subscribe,
  useWebhooksServer,
  waitForValue,
} from './helpers/webhooks-server';

// Outbound webhook subscriptions: bad input, host names, the scope, and the SSRF guard. Delivery is in
// tests/webhooks-delivery.api.test.ts.
closeReceiversAfterAll();

describe(`outbound webhooks (${BACKEND})`, () => {
  useWebhooksServer();

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
