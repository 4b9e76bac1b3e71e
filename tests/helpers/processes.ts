import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ADMIN, freshPostgresDatabase } from './test-server';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `npm start`'s entry point as a separate OS process and resolves once it is listening. By
 * default the TypeScript sources; `entry` runs something else (the compiled dist/server.js) from `cwd`.
 */
export function spawnServer(
  env: Record<string, string>,
  // node itself with tsx as a loader (not the tsx wrapper binary, which runs the server as a grandchild):
  // the pid we signal is the server's, so SIGKILL really kills the server.
  { entry = ['--import', 'tsx', 'server/src/main.ts'], cwd = ROOT }: { entry?: string[]; cwd?: string } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, entry, {
    cwd,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Load tests send bursts from few senders: the per-sender limits would throttle them (the limits
      // have their own tests).
      RATE_LIMIT_VISITORS: '100000',
      RATE_LIMIT_SOCKET_SENDS: '100000',
      RATE_LIMIT_ROOM_MISSES: '100000',
      RATE_LIMIT_TYPING: '100000',
      RATE_LIMIT_COLLAB_CONNECTIONS: '100000',
      RATE_LIMIT_COLLAB_MESSAGES: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = () => {
      const m = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        child,
        output: () => out,
        async kill(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/**
 * Two server processes on one fresh Postgres database sharing one Redis (each run gets its own key
 * prefix): the set-up of every cross-process test. `drop` removes the database once both are killed.
 */
export async function spawnPairOnFreshDatabase(
  extraEnv: Record<string, string> = {},
): Promise<{ a: ServerProcess; b: ServerProcess; databaseUrl: string; drop: () => Promise<void> }> {
  const fresh = await freshPostgresDatabase(process.env.DATABASE_URL as string);
  const env = {
    DATABASE_URL: fresh.url,
    REDIS_URL: process.env.REDIS_URL as string,
    REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SEED_DEMO: 'false',
    OUTBOX_POLL_MS: '50',
    ...extraEnv,
  };
  const a = await spawnServer(env);
  const b = await spawnServer(env);
  return { a, b, databaseUrl: fresh.url, drop: fresh.drop };
}
