/** The AutoCRM server as each scenario runs it: its own process, its own data, its own Redis prefix. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { migrateToLatest } from '../../db/migrate';
import { type Db, openDatabase } from '../../server/src/storage/db';
import { freshPostgresDatabase } from '../../tests/helpers/test-server';
import { type Proc, ROOT, startProcess } from './processes';

export const ADMIN = { email: 'bench@autocrm.dev', password: 'bench-admin-password' };

/**
 * BENCH_PROFILE=cpu: each server writes a V8 CPU profile on exit (bench/lib/profile-summary.ts reads it);
 * BENCH_PROFILE=sql: each server writes the time spent per SQL statement (bench/lib/sql-tally.mjs).
 */
export function profileFlags(): string[] {
  const want = process.env.BENCH_PROFILE ?? '';
  const dir = path.join(ROOT, 'bench/results/profiles');
  return [
    ...(want.includes('cpu') ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    ...(want.includes('sql') ? ['--import', path.join(ROOT, 'bench/lib/sql-tally.mjs')] : []),
  ];
}

export async function startAutocrm(
  opts: {
    env?: Record<string, string>;
    prepare?: (db: Db) => Promise<void>;
    /** Another server's database (Postgres): this one joins it instead of getting a fresh one. */
    databaseUrl?: string;
  } = {},
): Promise<{ proc: Proc; url: string; databaseUrl?: string; cleanup(): Promise<void> }> {
  let databaseUrl = opts.databaseUrl;
  let drop: (() => Promise<void>) | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-bench-'));
  if (process.env.DATABASE_URL && !databaseUrl)
    ({ url: databaseUrl, drop } = await freshPostgresDatabase(process.env.DATABASE_URL));
  if (opts.prepare) {
    // Data the scenario needs, written before the server starts (PGlite allows one process at a time).
    const handle = await openDatabase({ databaseUrl, dataDir });
    await migrateToLatest(handle.db);
    await opts.prepare(handle.db);
    await handle.close();
  }
  const redisPrefix = opts.env?.REDIS_PREFIX ?? `bench${Date.now()}`;
  const proc = await startProcess(
    'server/src/main.ts',
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      OUTBOX_POLL_MS: '100',
      // The load generators are a few addresses playing thousands of visitors: per-address and
      // per-sender limits would measure the limiter, not the hub.
      RATE_LIMIT_VISITORS: '1000000',
      RATE_LIMIT_SOCKET_SENDS: '1000000',
      RATE_LIMIT_ROOM_MISSES: '1000000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...opts.env,
      REDIS_PREFIX: redisPrefix,
    },
    /running at http:\/\/localhost:(\d+)/,
    profileFlags(),
  );
  const url = `http://127.0.0.1:${proc.match[1]}`;
  return {
    proc,
    url,
    ...(databaseUrl ? { databaseUrl } : {}),
    async cleanup() {
      await proc.kill();
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
      // The adapter's stream outlives the server: without this every run leaves one in a shared Redis.
      if (process.env.REDIS_URL) {
        const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await redis
          .connect()
          .then(async () => {
            const keys = await redis.keys(`${redisPrefix}:*`);
            if (keys.length) await redis.del(...keys);
          })
          .catch(() => {})
          .finally(() => redis.disconnect());
      }
    },
  };
}
