import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

/** The widget's texts in the visitor's language, and the queue notice a returning visitor gets on joining. */
describe(`widget texts per language and the queue notice on join (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer({ bot: true });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  const config = async (locale?: string) =>
    (await fetch(`${s.url}/widget-api/v1/config?websiteToken=${websiteToken}${locale ? `&locale=${locale}` : ''}`)).json();

  it("gives German visitors the German greeting, hours and reply time, and everyone else the inbox's own", async () => {
    const patched = await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
      auth: s.admin,
      body: {
        greeting: 'Hi there!',
        replyTime: 'within a day',
        businessHours: 'Mon–Fri',
        translations: { de: { greeting: 'Hallo!', replyTime: 'innerhalb eines Tages' } },
      },
    });
    expect(patched.status).toBe(200);
    expect(await config('de')).toMatchObject({
      greeting: 'Hallo!',
      replyTime: 'innerhalb eines Tages',
      businessHours: 'Mon–Fri',
    });
    expect(await config('de-AT')).toMatchObject({ greeting: 'Hallo!' });
    expect(await config('fr')).toMatchObject({ greeting: 'Hi there!', replyTime: 'within a day' });
    expect(await config()).toMatchObject({ greeting: 'Hi there!' });
    // A language key that is not a language code is refused, and nothing is stored.
    const bad = await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
      auth: s.admin,
      body: { translations: { 'de-DE-x': { greeting: 'x' } } },
    });
    expect(bad.status).toBe(400);
    expect(await config('de')).toMatchObject({ greeting: 'Hallo!' });
  });

  it("stores the widget's page, referrer, language and time zone with the browser and OS read from the request", async () => {
    const v = await newVisitor(s.url, websiteToken);
    const send = (
      body: Record<string, unknown>,
      ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    ) =>
      fetch(`${s.url}/widget-api/v1/context`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': ua },
        body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, ...body }),
      });
    const contact = async () => (await s.req('GET', `/contacts/${v.contactId}`, { auth: s.admin })).body;
    expect((await contact()).visitorInfo).toBeNull();

    // Bad input is refused whole: nothing stored.
    expect((await send({ pageUrl: 'javascript:alert(1)' })).status).toBe(400);
    expect((await send({ timeZone: '../../etc/passwd' })).status).toBe(400);
    expect((await send({ pageUrl: 'https://shop.example/a', extra: 1 })).status).toBe(400);
    const stranger = await fetch(`${s.url}/widget-api/v1/context`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken: 'vt_nope_nope_nope_nope', pageUrl: 'https://x.example/' }),
    });
    expect(stranger.status).toBe(401);
    expect((await contact()).visitorInfo).toBeNull();

    const ok = await send({
      pageUrl: 'https://shop.example/pricing?plan=pro',
      pageTitle: 'Pricing — Shop',
      referrer: 'https://www.google.com/',
      language: 'de-DE',
      timeZone: 'Europe/Berlin',
    });
    expect(ok.status).toBe(200);
    expect((await contact()).visitorInfo).toMatchObject({
      pageUrl: 'https://shop.example/pricing?plan=pro',
      pageTitle: 'Pricing — Shop',
      referrer: 'https://www.google.com/',
      language: 'de-DE',
      timeZone: 'Europe/Berlin',
      browser: 'Chrome',
      os: 'macOS',
    });
    // The latest report wins; Firefox on Android is told apart from Chrome.
    await send({ pageUrl: 'https://shop.example/cart' }, 'Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0');
    expect((await contact()).visitorInfo).toMatchObject({
      pageUrl: 'https://shop.example/cart',
      browser: 'Firefox',
      os: 'Android',
    });
    expect((await contact()).visitorInfo.timeZone).toBeUndefined();
  });

  it('tells a visitor who rejoins a queued room its position, until a person has replied', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const first = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(first);
    await connected(first);
    const started = await call(first, 'conversation:start', { clientId: 'q-1', body: 'I want to talk to a person, please' });
    const conversationId = started.conversationId as string;
    await waitFor(
      async () => (await s.req('GET', `/conversations/${conversationId}/routing`, { auth: s.admin })).body.state === 'queued',
    );

    // A reload: a new socket joins and hears its place without waiting for the queue to move.
    const rejoin = async () => {
      const so = visitorSocket(s.url, websiteToken, v.visitorToken);
      sockets.push(so);
      await connected(so);
      const heard = collect(so, 'queue:position');
      const joined = await call(so, 'room:join', { conversationId, lastSeq: 0 });
      expect(joined.ok).toBe(true);
      so.disconnect();
      return heard;
    };
    const heard = await rejoin();
    expect(heard).toEqual([{ conversationId, position: 1, estimatedWaitMinutes: null }]);

    // A person replies while the room is still queued: joining no longer brings the notice back.
    const reply = await s.req('POST', `/conversations/${conversationId}/messages`, {
      auth: s.admin,
      body: { body: '<p>Hello!</p>' },
    });
    expect(reply.status).toBe(201);
    expect((await s.req('GET', `/conversations/${conversationId}/routing`, { auth: s.admin })).body.state).toBe('queued');
    expect(await rejoin()).toEqual([]);
  });
  it('keeps the pages of a visit as the widget reports page changes, and a rough location from the time zone', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const report = (pageUrl: string, pageTitle: string, timeZone = 'America/New_York') =>
      fetch(`${s.url}/widget-api/v1/context`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, pageUrl, pageTitle, timeZone }),
      });
    const info = async () => (await s.req('GET', `/contacts/${v.contactId}`, { auth: s.admin })).body.visitorInfo;
    expect((await report('https://shop.example/', 'Home')).status).toBe(200);
    expect((await report('https://shop.example/shoes', 'Shoes')).status).toBe(200);
    // The same page again (a reload) is not a new entry.
    expect((await report('https://shop.example/shoes', 'Shoes')).status).toBe(200);
    expect((await report('https://shop.example/cart', 'Cart')).status).toBe(200);
    const got = await info();
    expect(got.pages.map((p: { url: string }) => p.url)).toEqual([
      'https://shop.example/',
      'https://shop.example/shoes',
      'https://shop.example/cart',
    ]);
    expect(got.pages[1].title).toBe('Shoes');
    expect(got.location).toEqual({ city: 'New York', region: 'America', source: 'time_zone' });
    // No city in the zone: no location rather than a made-up one.
    await report('https://shop.example/cart', 'Cart', 'UTC');
    expect((await info()).location).toBeNull();
  });
});
