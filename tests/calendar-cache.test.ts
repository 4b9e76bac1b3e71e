import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendars } from '../server/src/domain/routing/teams';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Team calendars are cached (routing and SLAs read them on every conversation, the service report on
// every run). Every write path drops them when its transaction commits, in the writing process, before
// the write returns: the relay is stopped here, so no dispatched `cache.stale` can be what drops them.

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await s.deps.relay.stop();
});
afterAll(async () => {
  await s?.close();
});

const calendarOf = async (id: string) => (await loadCalendars(s.deps.db)).get(id);
const cacheHits = async () =>
  Number(
    /autocrm_config_cache_reads_total\{outcome="hit"\} (\d+)/.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0,
  );

describe(`team calendars through the config cache (${BACKEND})`, () => {
  it('sees a calendar written through each write path on the very next read', async () => {
    await loadCalendars(s.deps.db);
    const hits = await cacheHits();
    await loadCalendars(s.deps.db);
    expect(await cacheHits()).toBeGreaterThan(hits);

    const created = await s.req('POST', '/teams', {
      auth: s.admin,
      body: { name: 'Night shift', timeZone: 'Europe/Berlin', businessHours: { mon: [{ start: '09:00', end: '17:00' }] } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await calendarOf(id)).toMatchObject({ timeZone: 'Europe/Berlin', hours: { mon: [{ start: '09:00', end: '17:00' }] } });

    const patch = async (body: unknown) =>
      expect((await s.req('PATCH', `/teams/${id}`, { auth: s.admin, body })).status).toBe(200);
    await patch({ timeZone: 'Asia/Tokyo' });
    expect((await calendarOf(id))?.timeZone).toBe('Asia/Tokyo');
    await patch({ businessHours: { tue: [{ start: '10:00', end: '12:00' }] } });
    expect((await calendarOf(id))?.hours).toEqual({ tue: [{ start: '10:00', end: '12:00' }] });
    await patch({ holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }] });
    expect((await calendarOf(id))?.holidays).toEqual(['2026-12-24']);

    expect((await s.req('DELETE', `/teams/${id}`, { auth: s.admin })).status).toBe(204);
    expect(await calendarOf(id)).toBeUndefined();
  });

  it('the service report reads the calendars through the cache', async () => {
    await loadCalendars(s.deps.db);
    const hits = await cacheHits();
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const report = await s.req('GET', `/reports/service?from=${day(-1)}&to=${day(1)}&timeZone=UTC`, { auth: s.admin });
    expect(report.status).toBe(200);
    expect(await cacheHits()).toBeGreaterThan(hits);
  });
});
