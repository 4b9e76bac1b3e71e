import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad } from '../lib/processes';
import { type Row, ratio, round1 } from '../lib/rows';
import { backend, quick } from '../lib/run-options';
import { type SeededRooms, seedWidgetRooms } from '../lib/seed-rooms';

export async function reconnectStorm(): Promise<Row[]> {
  // 10,000 on Postgres. PGlite runs every query on one connection (~4 ms of queries per reconnect and
  // join): at 10,000 the handshakes outlast the clients' 20 s connect timeout and retries pile on
  // (measured: 3,422 retries, 99% back after 64 s, 139 s for the scenario), more than the 15-minute
  // budget of a full run has room for; its full size is 2,000 (see the unit text).
  const rooms = quick ? 500 : backend === 'postgres' ? 10_000 : 2000;
  const visitors = 100;
  // Agent messages per second into every 10th room: steady traffic, well under what the server takes
  // (a message costs PGlite ~8 ms of queries: at 100/s the flow alone would fill it, and the storm would
  // measure that instead).
  const rate = quick ? 20 : 50;
  const starts = quick ? 100 : 300;
  const deadlineMs = quick ? 30_000 : 90_000;
  let seeded: SeededRooms | undefined;
  const started = Date.now();
  const server = await startAutocrm({
    prepare: async (db) => {
      seeded = await seedWidgetRooms(db, { rooms, visitors });
    },
  });
  const seedSeconds = round1((Date.now() - started) / 1000);
  const roomsFile = path.join(mkdtempSync(path.join(tmpdir(), 'autocrm-storm-')), 'rooms.json');
  try {
    const { websiteToken, visitorTokens, conversationIds } = seeded as SeededRooms;
    // Ten thousand ids are too long for a command-line argument.
    writeFileSync(roomsFile, JSON.stringify({ visitorTokens, conversationIds }));
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const key = await api(server.url, admin, 'POST', '/api-keys', {
      name: 'storm',
      scopes: ['conversations:read', 'conversations:write'],
    });
    type N = number | null;
    const r = await runLoad<{
      present: number;
      started: number;
      createSeconds: number;
      createPerSecond: number;
      freshP50: N;
      freshP99: N;
      freshFailed: number;
      freshRetries: number;
      stormP50: N;
      stormP99: N;
      stormAll: N;
      stormRetries: number;
      stormCpuSeconds: number;
      resyncFailed: number;
      stormError: string | null;
      sent: number;
      sendFailed: number;
      lost: number;
      duplicates: number;
      roomsWithGaps: number;
    }>('bench/load/reconnect-storm.ts', {
      url: server.url,
      pid: server.proc.pid,
      websiteToken,
      roomsFile,
      apiKey: key.key,
      rate,
      starts,
      deadlineMs,
    });
    const s = (ms: N) => (ms === null ? `not within ${deadlineMs / 1000} s` : `${ms} ms`);
    const fewer = r.present < rooms ? `; only ${r.present} of ${rooms} connected and joined before the storm` : '';
    return [
      {
        scenario: 'reconnect-storm',
        metric: `${rooms} sockets dropped at once: time until 99% resynced${!quick && rooms < 10_000 ? ' (PGlite: 2,000, not 10,000)' : ''}`,
        ours: r.stormP99,
        baseline: r.freshP99,
        baselineName: 'same sockets connecting fresh',
        ratio: ratio(r.stormP99, r.freshP99),
        unit: `ms (p50 ${s(r.stormP50)} vs ${s(r.freshP50)}; all ${s(r.stormAll)}; ${r.resyncFailed} not back${r.stormError ? ` (${r.stormError})` : ''}; ${r.stormRetries} connect retries vs ${r.freshRetries}; server CPU ${r.stormCpuSeconds} s${fewer})`,
      },
      {
        scenario: 'reconnect-storm',
        metric: `messages lost across the storm (${r.sent} sent at ${rate}/s into every 10th room)`,
        ours: r.lost,
        baseline: 0,
        baselineName: 'expected',
        ratio: null,
        unit: `seqs (${r.roomsWithGaps} rooms with gaps among those back; ${r.duplicates} duplicate deliveries, the join's replay/live overlap the client drops by seq; ${r.sendFailed} sends failed)`,
      },
      {
        scenario: 'reconnect-storm',
        metric: `setup: conversations opened via conversation:start (${r.started} of ${starts})`,
        ours: r.createPerSecond,
        baseline: null,
        baselineName: '-',
        ratio: null,
        unit: `conversations/s (${visitors} visitors in parallel; the ${rooms} storm rooms were written with SQL instead, ${seedSeconds} s incl. server start, ${visitors} visitor tokens shared)`,
      },
    ];
  } finally {
    rmSync(path.dirname(roomsFile), { recursive: true, force: true });
    await server.cleanup();
  }
}
