import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, newVisitor } from './helpers/sockets';
import { startTestServer, type TestServer } from './helpers/test-server';

// Input that cannot be stored or that would be dropped silently: a clear 400 and nothing stored.

describe('NUL in addresses and prototype keys in records', () => {
  let s: TestServer;
  let websiteToken: string;

  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', `/inboxes`, { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
  });
  afterAll(() => s?.close());

  it('a NUL in any query or path parameter is a 400, never a 500', async () => {
    for (const path of [
      '/widget-api/v1/config?websiteToken=%00',
      '/widget-api/v1/config?websiteToken=wt_a%00b',
      '/widget.js?v=%00',
      '/assets/%00.js',
    ]) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    // API v1 parameters are checked by their schemas: a 4xx naming the field, never a 500.
    for (const path of ['/contacts/%00', '/conversations?q=%00', '/kb/articles/a%00', '/help/en/articles/a%00b']) {
      const res = await s.req('GET', path, { auth: s.admin });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('refuses __proto__, constructor and prototype keys inside record fields, storing nothing', async () => {
    const before = (await s.req('GET', '/contacts?limit=100', { auth: s.admin })).body.data.length;
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const contact = await s.req('POST', '/contacts', {
        auth: s.admin,
        raw: `{"name":"Proto","attributes":{"plan":"pro","${key}":{"isAdmin":true}}}`,
      });
      expect(contact.status, contact.text).toBe(400);
      expect(contact.body.error.message).toContain(`attributes.${key}`);
      const conv = await s.req('POST', '/conversations', {
        auth: s.admin,
        raw: `{"inboxId":"${s.inboxId}","subject":"x","contact":{"name":"P"},"customFields":{"${key}":"x"}}`,
      });
      expect(conv.status, conv.text).toBe(400);
    }
    expect((await s.req('GET', '/contacts?limit=100', { auth: s.admin })).body.data.length).toBe(before);

    // The widget's own endpoints and socket refuse them the same way.
    const v = await newVisitor(s.url, websiteToken);
    const profile = await fetch(`${s.url}/widget-api/v1/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"websiteToken":"${websiteToken}","visitorToken":"${v.visitorToken}","attributes":{"__proto__":{"x":1}}}`,
    });
    expect(profile.status).toBe(400);
    const sock = io(`${s.url}/widget`, {
      transports: ['websocket'],
      auth: { websiteToken, visitorToken: v.visitorToken },
      reconnection: false,
      forceNew: true,
    });
    try {
      await connected(sock as never);
      const ack = await call(
        sock as never,
        'conversation:start',
        JSON.parse('{"clientId":"p1","body":"hi","__proto__":{"x":1}}'),
      );
      expect(ack.ok).toBe(false);
      expect(ack.error.code).toBe('validation_failed');
    } finally {
      sock.close();
    }
  });
});
