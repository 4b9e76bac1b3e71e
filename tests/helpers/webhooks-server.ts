import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer, waitFor } from './test-server';

// The receiver, server and helpers the outbound webhook test files share (webhooks-delivery,
// webhooks-subscriptions). `s` and `key` are live bindings: `useWebhooksServer()` inside a describe
// starts the server before its tests and sets them; `closeReceiversAfterAll()` stops every receiver.

// ---------------------------------------------------------------------------------------------
// A real HTTP receiver on 127.0.0.1 (port 0). `respond` picks the status code for the n-th
// request (1-based), or 0 to hang without answering; it can be swapped at any time (`receiver.respond = ...`).
// ---------------------------------------------------------------------------------------------
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: any };
}

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  respond: (n: number, r: Received) => number;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

export async function startReceiver(respond: (n: number, r: Received) => number = () => 200): Promise<Receiver> {
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
      const status = receiver.respond(receiver.requests.length, r);
      // 0: a receiver that hangs, never answering (the sender's timeout ends it).
      if (status === 0) return;
      res.statusCode = status;
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

export const sigHeaders = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

/** Stops every receiver the file started, once its tests are done. */
export function closeReceiversAfterAll() {
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });
}

/** `waitFor` for a check that returns the value once it is there (typed without the miss). */
export const waitForValue = async <T>(check: () => Promise<T | undefined | null | false>, opts?: { timeoutMs?: number }) =>
  (await waitFor(check, opts)) as T;

export let s: TestServer;
export let key: string;
export const created: string[] = [];

// Each test removes its subscriptions, so later tests' events do not reach earlier receivers.

export const subscribe = async (url: string, events: string[], extra: Record<string, unknown> = {}) => {
  const res = await s.req('POST', '/webhooks', { auth: key, body: { url, events, ...extra } });
  expect(res.status, res.text).toBe(201);
  created.push(res.body.id);
  return res.body as { id: string; url: string; events: string[]; active: boolean; secret: string };
};
export const createConversation = async (subject: string, message?: string) => {
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
export const deliveries = async (webhookId: string) => {
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
export const forConversation = (r: Receiver, conversationId: string) =>
  r.requests.filter((x) => x.json.data?.conversation?.id === conversationId);

export function useWebhooksServer() {
  beforeAll(async () => {
    // 5 s base delay becomes ~1 ms, so a whole retry sequence runs in well under a second.
    // The default 10 s request timeout (the suite's 2 s one): a hanging receiver stays in flight while a test looks.
    s = await startTestServer({ webhookRetryScale: 0.0002, env: { WEBHOOK_TIMEOUT_MS: '10000' } });
    key = await s.apiKey(['webhooks:manage', 'conversations:read', 'conversations:write']);
  });
  afterAll(() => s?.close());
  afterEach(async () => {
    for (const id of created.splice(0)) await s.req('DELETE', `/webhooks/${id}`, { auth: key });
  });
}
