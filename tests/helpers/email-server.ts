import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { mailClient, startSmtpSink } from './smtp-sink';
import { startTestServer, type TestServer, waitFor } from './test-server';

// The server, mail sink and helpers the email test files share (email-inbound, email-outbound): customers'
// mail goes into our SMTP server, agents' replies come out through SMTP_URL into a recording provider
// and are parsed back. `server`, `sink`, `client` and `inboxId` are live bindings: `useEmailServer()`
// starts them before the file's tests and sets them.

export let server: TestServer;
export let sink: Awaited<ReturnType<typeof startSmtpSink>>;
export let client: ReturnType<typeof mailClient>;
export let inboxId: string;
let dataDir: string;
export const INBOX = 'help@acme.test';

/** waitFor whose value is never undefined once it resolves. */
export const until = async <T>(check: () => Promise<T | undefined> | T | undefined, o?: { timeoutMs?: number }) =>
  (await waitFor(check, o)) as T;

let seq = 0;
export const mid = (who: string) => `<m${++seq}.${Date.now()}@${who.split('@')[1]}>`;

export async function conversationsFrom(address: string) {
  const res = await server.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: server.admin });
  const contacts = await Promise.all(
    (res.body.data as { id: string; contactId: string; subject: string | null; channel: string }[]).map(async (c) => ({
      c,
      contact: (await server.req('GET', `/contacts/${c.contactId}`, { auth: server.admin })).body,
    })),
  );
  return contacts.filter((x) => x.contact.email === address).map((x) => x.c);
}

export const messagesOf = async (conversationId: string) =>
  (await server.req('GET', `/conversations/${conversationId}/messages?limit=200`, { auth: server.admin })).body.data as {
    id: string;
    authorKind: string;
    bodyText: string;
    bodyHtml: string;
    attachments: { url: string; name: string; contentType: string }[];
  }[];

export const emailOf = async (conversationId: string) =>
  (await server.req('GET', `/conversations/${conversationId}/email`, { auth: server.admin })).body;

export async function reply(conversationId: string, body: string) {
  const res = await server.req('POST', `/conversations/${conversationId}/messages`, { auth: server.admin, body: { body } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

export function useEmailServer() {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-email-'));
    sink = await startSmtpSink();
    server = await startTestServer({
      env: {
        DATA_DIR: dataDir,
        SMTP_URL: sink.url,
        SMTP_INBOUND_PORT: '0',
        EMAIL_RETRY_BASE_MS: '50',
        EMAIL_MAX_ATTEMPTS: '3',
        EMAIL_AWAY_DELAY_SECONDS: '1',
      },
    });
    const inbox = await server.req('POST', '/inboxes', {
      auth: server.admin,
      body: { name: INBOX, channel: 'email', members: [server.admin.userId] },
    });
    expect(inbox.status).toBe(201);
    inboxId = inbox.body.id;
    client = mailClient(server.deps.channels!.get('email')!.ports.smtp!);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
}
