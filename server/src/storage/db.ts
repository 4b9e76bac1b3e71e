import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../../../db/types';
import { type CommitListener, CommitWatch } from './commit-watch';
import { type DatabaseState, GuardedPool } from './guarded-pool';
import { PGliteDialect } from './pglite-dialect';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** `down` while Postgres is unreachable (queries then fail at once with `unavailable`); PGlite is always up. */
  status(): DatabaseState;
  onStateChange(listener: (state: DatabaseState) => void): void;
  /**
   * Runs once right after each transaction that wrote domain events commits (or after an event written
   * outside one): the server pokes the relay here, so events go out at once whoever wrote them. The
   * listener gets the events written (type and payload).
   */
  onEventsCommitted(listener: CommitListener): void;
  /** The same for new bot turns: the bot starts on a customer's message without waiting for the relay. */
  onBotTurnsCommitted(listener: () => void): void;
  close(): Promise<void>;
}

/** Timeouts for the Postgres pool (milliseconds); see the README's configuration table. */
export interface PoolTimeouts {
  connectMs: number;
  statementMs: number;
  idleInTransactionMs: number;
  keepAliveMs: number;
}

export const DEFAULT_POOL_TIMEOUTS: PoolTimeouts = {
  connectMs: 5000,
  statementMs: 15_000,
  idleInTransactionMs: 10_000,
  keepAliveMs: 10_000,
};

// int8 (counts, bigserial ids) as numbers on every backend: our ids and counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  /** Postgres URL; without it an embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite's files; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  timeouts?: Partial<PoolTimeouts>;
  logger?: Logger;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const watch = new CommitWatch();
  const onEventsCommitted = (listener: CommitListener) => watch.onCommitted(listener);
  const onBotTurnsCommitted = (listener: () => void) => watch.onCommitted(listener, 'bot_turns');
  if (options.databaseUrl) {
    const t = { ...DEFAULT_POOL_TIMEOUTS, ...options.timeouts };
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // A new backend's first search loads dictionaries and catalog entries (50-65 ms against 7-10 ms,
      // domain/kb/warm-search.ts): connections are kept for minutes, not pg's default 10 s.
      idleTimeoutMillis: 10 * 60_000,
      connectionTimeoutMillis: t.connectMs,
      // Server side: a runaway statement is cancelled, and a transaction whose client vanished mid-way
      // (network cut) is ended, releasing its row locks for the other processes.
      statement_timeout: t.statementMs,
      idle_in_transaction_session_timeout: t.idleInTransactionMs,
      // Client side: a query whose answer never comes (packets dropped) fails a little after the server
      // would have cancelled it, and keepalive notices a dead peer on an idle connection.
      query_timeout: t.statementMs + 2000,
      keepAlive: true,
      keepAliveInitialDelayMillis: t.keepAliveMs,
      // No JIT: our statements are short, but the planner's cost guesses for the knowledge-base search
      // (CTEs, LATERAL lookups) pass JIT's thresholds, and compiling took 2 s of a 60 ms search at
      // 100,000 articles (PostgreSQL 15's default `jit = on`). Nothing we run is long enough to repay it.
      options: '-c jit=off',
    });
    const guarded = new GuardedPool(pool, options.logger);
    guarded.startHeartbeat(2000, t.connectMs);
    const db = new Kysely<Database>({ dialect: watch.wrap(new PostgresDialect({ pool: guarded })) });
    return {
      db,
      kind: 'postgres',
      status: () => guarded.status,
      onStateChange: (l) => guarded.onStateChange(l),
      onEventsCommitted,
      onBotTurnsCommitted,
      close: () => db.destroy(),
    };
  }
  const dir = options.dataDir ?? './data';
  let dataDir = dir;
  if (!dir.startsWith('memory://')) {
    dataDir = path.resolve(dir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
  }
  // The knowledge base's search uses these; on Postgres they are optional and detected (storage/extensions.ts).
  const client = await PGlite.create(dataDir, { extensions: { vector, pg_trgm, unaccent } });
  const db = new Kysely<Database>({ dialect: watch.wrap(new PGliteDialect(client)) });
  return {
    db,
    kind: 'pglite',
    status: () => 'up',
    onStateChange: () => {},
    onEventsCommitted,
    onBotTurnsCommitted,
    close: () => db.destroy(),
  };
}

/**
 * Start-up while Postgres is still coming up (or briefly away): retries `select 1` with capped,
 * jittered backoff and says so in the log, instead of exiting at the first migration query.
 */
export async function waitForDatabase(db: Kysely<any>, opts: { logger: Logger; timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(db);
      if (attempt > 1) opts.logger.info({ attempt }, 'database reachable, starting');
      return;
    } catch (err) {
      if (Date.now() + delay > deadline) throw new Error('the database did not become reachable in time (DB_STARTUP_TIMEOUT_MS)');
      const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
      opts.logger.warn(
        { attempt, retryInMs: wait, code: (err as { code?: string }).code },
        'database not reachable yet, retrying',
      );
      await new Promise((r) => setTimeout(r, wait));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
