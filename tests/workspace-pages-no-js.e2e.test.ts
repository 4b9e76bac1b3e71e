import { describe, expect, it } from 'vitest';
import {
  agent1,
  agent2,
  messagesOf,
  newConversation,
  outsider,
  s,
  secretInboxId,
  supervisor,
  useWorkspaceServer,
} from './helpers/workspace-server';

// The agent workspace's pages (SvelteKit, web/build) rendered and posted to on the server, with no
// browser and no JavaScript: sign-in, who sees which inbox, form actions, saved views. `npm test`
// builds web/ first. The workspace in a browser is in workspace-inbox.

useWorkspaceServer({ browser: false });

/** Signs in through the login form action (no browser) and returns the cookie header. */
async function pageSession(user: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${s.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: user.email, password: user.password }),
  });
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^autocrm_session=/);
  return cookie;
}

const getPage = (path: string, cookie: string) => fetch(`${s.url}${path}`, { redirect: 'manual', headers: { cookie } });
const postAction = (path: string, cookie: string, form: Record<string, string>) =>
  fetch(`${s.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });

describe('workspace pages on the server (no JavaScript)', () => {
  it('sends visitors without a session to /login and does not shadow API or ops paths', async () => {
    const res = await fetch(`${s.url}/inbox`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Finbox');
    const api404 = await fetch(`${s.url}/api/v1/no-such-thing`);
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as any).error.code).toBe('not_found');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // Only the workspace's own pages and assets go to SvelteKit; other paths stay JSON 404s.
    const other = await fetch(`${s.url}/no/such/route`, { redirect: 'manual' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as any).error.code).toBe('not_found');
    expect((await fetch(`${s.url}/favicon.svg`)).headers.get('content-type')).toMatch(/svg/);
    const bad = await postAction('/login', '', { email: agent1.email, password: 'wrong password' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Wrong email or password.');
    // Form posts from another site are refused.
    const cross = await fetch(`${s.url}/login`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: agent1.email, password: agent1.password }),
    });
    expect(cross.status).toBe(403);
  });

  it('an agent cannot see inboxes they do not belong to; a supervisor can', async () => {
    const secret = await newConversation('Secret merger talk', secretInboxId);
    const open = await newConversation('Ordinary question');
    const agentCookie = await pageSession(agent1);
    const supCookie = await pageSession(supervisor);
    const outsiderCookie = await pageSession(outsider);

    const agentRoom = await getPage(`/inbox/${secret.id}`, agentCookie);
    expect(agentRoom.status).toBe(404);
    expect(await agentRoom.text()).not.toContain('Secret merger talk');
    const agentAll = await (await getPage('/inbox?view=all', agentCookie)).text();
    expect(agentAll).toContain('Ordinary question');
    expect(agentAll).not.toContain('Secret merger talk');
    expect((await getPage('/supervisor', agentCookie)).status).toBe(403);
    // An action on a conversation the agent cannot see changes nothing.
    const sneaky = await postAction(`/inbox/${secret.id}?/update`, agentCookie, { priority: 'urgent' });
    expect(sneaky.status).toBe(404);
    expect((await s.req('GET', `/conversations/${secret.id}`, { auth: s.admin })).body.priority).toBe('normal');

    const supRoom = await getPage(`/inbox/${secret.id}`, supCookie);
    expect(supRoom.status).toBe(200);
    expect(await supRoom.text()).toContain('Secret merger talk');
    expect(await (await getPage('/inbox?view=all', supCookie)).text()).toContain('Secret merger talk');
    expect(await (await getPage('/supervisor', supCookie)).text()).toContain('Secret merger talk');

    // The outsider sees only their own inbox.
    expect((await getPage(`/inbox/${secret.id}`, outsiderCookie)).status).toBe(200);
    expect((await getPage(`/inbox/${open.id}`, outsiderCookie)).status).toBe(404);
  });

  it('form actions work without JavaScript: ticket fields, validation errors, reply, sign out', async () => {
    const fieldRes = await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'seats', label: 'Seats', type: 'number' },
    });
    expect(fieldRes.status).toBe(201);
    const conv = await newConversation('No script please');
    const cookie = await pageSession(agent1);

    const ok = await postAction(`/inbox/${conv.id}?/update`, cookie, { priority: 'high', assigneeId: agent1.id });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Saved.');
    const after = (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body;
    expect(after).toMatchObject({ priority: 'high', assigneeId: agent1.id });

    const bad = await postAction(`/inbox/${conv.id}?/update`, cookie, { cf: 'seats', cf_seats: 'lots' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/data-field-error="seats"/);
    expect((await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.customFields.seats).toBeUndefined();
    const good = await postAction(`/inbox/${conv.id}?/update`, cookie, { cf: 'seats', cf_seats: '12' });
    expect(good.status).toBe(200);
    expect((await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.customFields.seats).toBe(12);

    const reply = await postAction(`/inbox/${conv.id}?/reply`, cookie, { body: 'Plain <reply>\nline two', clientId: 'nojs-1' });
    expect(reply.status).toBe(200);
    const again = await postAction(`/inbox/${conv.id}?/reply`, cookie, { body: 'Plain <reply>\nline two', clientId: 'nojs-1' });
    expect(again.status).toBe(200);
    const stored = (await messagesOf(conv.id)).filter((m) => m.clientId === 'nojs-1');
    expect(stored).toHaveLength(1);
    expect(stored[0].bodyHtml).toContain('Plain &lt;reply&gt;');

    const out = await postAction('/logout', cookie, {});
    expect(out.status).toBe(303);
    expect((await getPage('/inbox', cookie)).status).toBe(303);
    expect((await s.req('GET', '/auth/session', { headers: { cookie } })).status).toBe(401);
  });

  it('saved views: personal or shared, listed in the queue, applied as filters, deleted by whom it belongs to', async () => {
    await newConversation('Urgent saved-view case').then((c) =>
      s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { priority: 'urgent', addTags: ['vip'] } }),
    );
    await newConversation('Calm saved-view case');
    const ada = await pageSession(agent1);
    const bob = await pageSession(agent2);
    const filters = { view: 'all', state: 'open', priority: 'urgent', sort: 'waiting', q: '', tag: 'vip' };
    const mine = await postAction('/inbox?/saveView', ada, { name: 'My urgent VIPs', ...filters });
    expect(mine.status).toBe(200);
    const shared = await postAction('/inbox?/saveView', ada, { name: 'Team urgent', shared: 'on', ...filters });
    expect(shared.status).toBe(200);
    const bad = await postAction('/inbox?/saveView', ada, { name: '', ...filters });
    expect(bad.status).toBe(400);

    const adaViews = (await s.req('GET', '/views', { auth: await s.login(agent1.email, agent1.password) })).body.data;
    expect(adaViews.map((v: any) => [v.name, v.shared])).toEqual([
      ['Team urgent', true],
      ['My urgent VIPs', false],
    ]);
    const bobPage = await (await getPage('/inbox', bob)).text();
    expect(bobPage).toContain('Team urgent');
    expect(bobPage).not.toContain('My urgent VIPs');

    // The saved filters select the urgent VIP conversation only.
    const href = /href="([^"]+)"[^>]*>\s*(?:<!---->)?\s*<span>My urgent VIPs/.exec(
      await (await getPage('/inbox', ada)).text(),
    )?.[1];
    expect(href).toBeDefined();
    const applied = await (await getPage(href!.replaceAll('&amp;', '&'), ada)).text();
    expect(applied).toContain('Urgent saved-view case');
    expect(applied).not.toContain('Calm saved-view case');

    // Bob (an agent) may not delete the shared view; Ada may delete her own.
    const sharedId = adaViews.find((v: any) => v.shared).id;
    expect((await postAction('/inbox?/deleteView', bob, { id: sharedId })).status).toBe(403);
    const ownId = adaViews.find((v: any) => !v.shared).id;
    expect((await postAction('/inbox?/deleteView', bob, { id: ownId })).status).toBe(400);
    expect((await postAction('/inbox?/deleteView', ada, { id: ownId })).status).toBe(200);
    expect((await s.req('GET', '/views', { auth: await s.login(agent1.email, agent1.password) })).body.data).toHaveLength(1);
  });
});
