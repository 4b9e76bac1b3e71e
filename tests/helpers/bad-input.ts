import { expect } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from './test-server';

// What the bad-input suites (tests/bad-input-*.api.test.ts) share: the one error shape they expect,
// the payloads they send, and a server with an API key and custom fields to aim at.

/** A 4xx with the one error shape; returns the issue paths. */
export function expectError(res: TestResponse, status: number, code?: string): string[] {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof res.body?.error?.code, res.text).toBe('string');
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (code) expect(res.body.error.code).toBe(code);
  return (res.body.error.issues ?? []).map((i: { path: string }) => i.path);
}

export function expectValidation(res: TestResponse, path: string) {
  const paths = expectError(res, 400, 'validation_failed');
  expect(paths, res.text).toContain(path);
}

/** The response is JSON data a browser will not sniff or render as a document. */
export function expectJsonData(res: TestResponse) {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
}

export const UNKNOWN_ID = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

// Markup, script, SQL and template payloads, each without leading/trailing space (Line() trims).
export const PLAIN_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(document.cookie)>',
  "'; drop table conversations; --",
  '<a href="javascript:alert(1)">click</a>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '{{7*7}} ${7*7} <%= 7*7 %>',
  'Zoë & Ünïcödé 🎉 \u202eevil\u202c </title>',
];

/** A server with an API key for conversations, contacts and webhooks, and three custom fields. */
export async function startBadInputServer(): Promise<{ s: TestServer; key: string }> {
  const s = await startTestServer();
  const key = await s.apiKey(['conversations:read', 'conversations:write', 'contacts:read', 'contacts:write', 'webhooks:manage']);
  for (const def of [
    { key: 'plan', label: 'Plan', type: 'single_select', options: ['free', 'pro'] },
    { key: 'seats', label: 'Seats', type: 'number' },
    { key: 'note', label: 'Note', type: 'text' },
  ]) {
    const res = await s.req('POST', '/custom-fields', { auth: s.admin, body: def });
    expect(res.status, res.text).toBe(201);
  }
  return { s, key };
}

/** Conversation helpers against that server (read lazily: the server starts in `beforeAll`). */
export function conversationHelpers(get: () => { s: TestServer; key: string }) {
  const create = (body: Record<string, unknown>) =>
    get().s.req('POST', '/conversations', { auth: get().key, body: { inboxId: get().s.inboxId, ...body } });
  const newConversation = async (subject = 'bad input') => {
    const res = await create({ subject });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; subject: string };
  };
  const countConversations = async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const res: TestResponse = await get().s.req('GET', `/conversations?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        auth: get().key,
      });
      expect(res.status).toBe(200);
      n += res.body.data.length;
      cursor = res.body.nextCursor;
    } while (cursor);
    return n;
  };
  return { create, newConversation, countConversations };
}
