import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The demo workspace shows routing: two teams in two time zones, skills, rules, SLAs; the sample
// conversations wait in the queues until an agent signs in, then flow to them.
describe(`routing in the demo workspace (${BACKEND})`, () => {
  let s: TestServer;
  let socket: TestSocket | undefined;

  beforeAll(async () => {
    s = await startTestServer({ env: { SEED_DEMO: 'true' } });
  }, 240_000);
  afterAll(async () => {
    socket?.disconnect();
    await s?.close();
  });

  it('routes the sample conversations by rule, queues them, and assigns them when an agent comes online', async () => {
    const teams = (await s.req('GET', '/teams', { auth: s.admin })).body.data as {
      id: string;
      name: string;
      timeZone: string;
      members: unknown[];
    }[];
    expect(teams.map((t) => [t.name, t.timeZone, t.members.length])).toEqual([
      ['Billing', 'America/New_York', 1],
      ['Support', 'Europe/Madrid', 2],
    ]);
    const support = teams.find((t) => t.name === 'Support')?.id;
    const billing = teams.find((t) => t.name === 'Billing')?.id;
    const list = async () =>
      (await s.req('GET', '/conversations?limit=50', { auth: s.admin })).body.data as {
        id: string;
        subject: string;
        teamId: string | null;
        assigneeId: string | null;
        priority: string;
      }[];
    const bySubject = async (subject: string) => (await list()).find((c) => c.subject === subject);
    await waitFor(async () => (await s.req('GET', '/routing/queue', { auth: s.admin })).body.data.length >= 3);
    expect((await bySubject('Do you offer a discount for nonprofits?'))?.teamId).toBe(billing);
    const crash = await bySubject('App crashes when uploading a photo');
    expect(crash?.teamId).toBe(support);
    const crashRouting = (await s.req('GET', `/conversations/${crash?.id}/routing`, { auth: s.admin })).body;
    expect(crashRouting.rulesFired.map((r: { name: string }) => r.name)).toEqual([
      'Everything to Support',
      'App crashes need the mobile experts',
    ]);
    expect(crashRouting.sla.policyId).not.toBeNull();

    const sam = await s.login('agent@demo.autocrm.dev', 'autocrm-demo-agent');
    socket = agentSocket(s.url, sam);
    await connected(socket);
    expect(await waitFor(async () => (await bySubject('App crashes when uploading a photo'))?.assigneeId)).toBe(sam.userId);
    // Billing stays with Billing (Sam lacks the billing skill) until it overflows.
    expect((await bySubject('Do you offer a discount for nonprofits?'))?.assigneeId).toBeNull();
  });
});
