import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser';
import { startTestServer, type TestServer } from './test-server';

// The server, people and inboxes the agent-workspace test files share (workspace-inbox in a browser,
// workspace-pages-no-js over plain HTTP). The exported `let`s are live bindings: `useWorkspaceServer()`
// at the top of a file starts the server (and, when asked, Chromium) before its tests and sets them.

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

export let s: TestServer;
export let browser: Browser;
/** Members of the test inbox. */
export let agent1: TestUser;
export let agent2: TestUser;
export let supervisor: TestUser;
/** The only member of the secret inbox. */
export let outsider: TestUser;
export let secretInboxId: string;
export let closedStatusId: string;
/** Every browser context a test opens, closed after the file's tests. */
export const contexts: BrowserContext[] = [];

async function createUser(role: 'agent' | 'supervisor', name: string): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.autocrm.dev`;
  const password = `pw-${name}-123456`;
  const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name, role, password } });
  if (res.status !== 201) throw new Error(`user: ${res.text}`);
  return { id: res.body.id, email, password, name };
}

/** A conversation from a new customer, with their first message, made by the admin through the API. */
export async function newConversation(subject: string, inboxId = s.inboxId) {
  const res = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: {
      inboxId,
      subject,
      contact: { name: `Customer of ${subject}`, email: `${subject.toLowerCase().replace(/\W+/g, '-')}@example.com` },
      message: { body: `Hello, about ${subject}` },
    },
  });
  if (res.status !== 201) throw new Error(`conversation: ${res.text}`);
  return res.body as { id: string; number: number };
}

export async function messagesOf(id: string): Promise<any[]> {
  return (await s.req('GET', `/conversations/${id}/messages?limit=200`, { auth: s.admin })).body.data;
}

export function useWorkspaceServer(opts: { browser: boolean }) {
  beforeAll(async () => {
    s = await startTestServer();
    agent1 = await createUser('agent', 'Ada Agent');
    agent2 = await createUser('agent', 'Bob Agent');
    supervisor = await createUser('supervisor', 'Sue Supervisor');
    outsider = await createUser('agent', 'Otto Outsider');
    expect(
      (await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [agent1.id, agent2.id] } })).status,
    ).toBe(200);
    const secret = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: 'Secret inbox', channel: 'email', members: [outsider.id] },
    });
    secretInboxId = secret.body.id;
    // Routing would hand new conversations to whoever is online; these tests assign by hand, so agents
    // get no automatic capacity here (Unassigned stays unassigned until someone takes it).
    const routing = await s.req('GET', '/routing/settings', { auth: s.admin });
    if (routing.status === 200)
      expect(
        (await s.req('PUT', '/routing/settings', { auth: s.admin, body: { ...routing.body, defaultCapacity: 0 } })).status,
      ).toBe(200);
    // The "/hello" shortcut the browser tests use is a server macro like any other (there are no built-in templates).
    const greeting = await s.req('POST', '/macros', {
      auth: s.admin,
      body: {
        name: 'Greeting',
        shortcut: 'hello',
        visibility: 'shared',
        body: '<p>Hi {{contact.name}}, thanks for reaching out!</p>',
      },
    });
    expect(greeting.status).toBe(201);
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; category: string }[];
    closedStatusId = statuses.find((x) => x.category === 'closed')!.id;
    if (opts.browser) browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });
}
