// Production mode as an operator runs it: the compiled server (`npm run build`) copied with the
// workspace and widget builds into a fresh folder, installed there with `npm ci --omit=dev`, started with
// NODE_ENV=production. It must start without any dev dependency, build nothing, write nothing outside
// DATA_DIR, serve no demo, compress what it sends, sign an admin in and carry a visitor's message.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './helpers/processes';
import { startVisitorChat } from './helpers/sockets';
import { ADMIN, freshPostgresDatabase } from './helpers/test-server';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHIPPED = ['dist', 'web/build', 'widget/dist'];

/** Every file under the shipped folders with its size and mtime: a start must leave them as they are. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    for (const name of readdirSync(p)) {
      const full = path.join(p, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else out.push(`${path.relative(dir, full)} ${st.size} ${st.mtimeMs}`);
    }
  };
  for (const s of SHIPPED) walk(path.join(dir, s));
  return out.sort();
}

describe('production mode (compiled build, production dependencies only)', () => {
  let app: string;
  let dataDir: string;
  let server: ServerProcess;
  let drop: (() => Promise<void>) | undefined;
  let dbUrl: string | undefined;
  let before: string[];

  beforeAll(async () => {
    // The workspace and the widget were built by `pretest` with the same commands `npm run build` runs;
    // this compiles the server part of the build.
    execFileSync(process.execPath, ['scripts/build.mjs', '--server-only'], { cwd: ROOT, stdio: 'pipe' });
    app = mkdtempSync(path.join(tmpdir(), 'autocrm-prod-'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-prod-data-'));
    for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(ROOT, f), path.join(app, f));
    for (const ws of ['shared', 'server', 'web', 'widget']) {
      mkdirSync(path.join(app, ws), { recursive: true });
      cpSync(path.join(ROOT, ws, 'package.json'), path.join(app, ws, 'package.json'));
    }
    for (const s of SHIPPED) cpSync(path.join(ROOT, s), path.join(app, s), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    before = snapshot(app);

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    };
    // The production defaults are under test: nothing from the runner's environment may set them.
    delete process.env.SEED_DEMO;
    delete process.env.DEMO_PAGE;
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      drop = fresh.drop;
      dbUrl = fresh.url;
      env.DATABASE_URL = fresh.url;
      env.REDIS_URL = process.env.REDIS_URL ?? '';
      env.REDIS_PREFIX = `t${randomBytes(4).toString('hex')}`;
    }
    server = await spawnServer(env, { entry: ['dist/server.js'], cwd: app });
  }, 300_000);

  afterAll(async () => {
    await server?.kill();
    await drop?.();
    if (app) rmSync(app, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('installs without dev dependencies and starts ready, without demo data or the demo page', async () => {
    for (const dev of ['tsx', 'vitest', 'esbuild', 'typescript', '@sveltejs/kit'])
      expect(existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/demo`)).status).toBe(404);
    const demo = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.autocrm.dev', password: 'autocrm-demo-admin' }),
    });
    expect(demo.status).toBe(401);
  });

  it('signs the admin in and carries a visitor message to the agent', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const auth = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const inbox = await fetch(`${server.url}/api/v1/inboxes`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Site', channel: 'web' }),
    });
    expect(inbox.status).toBe(201);
    const { websiteToken } = (await inbox.json()) as { websiteToken: string };
    const chat = await startVisitorChat(server.url, websiteToken, 'Hello from production');
    chat.socket.close();
    const messages = await fetch(`${server.url}/api/v1/conversations/${chat.conversationId}/messages`, { headers: auth });
    expect(messages.status).toBe(200);
    const body = (await messages.json()) as { data: { bodyText: string }[] };
    expect(body.data.map((m) => m.bodyText)).toContain('Hello from production');
    // The workspace itself renders (compiled SvelteKit, served by the same process).
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form');
  });

  it('compresses the widget and the workspace assets, and the help center ships no agent socket client', async () => {
    const loader = await (await fetch(`${server.url}/widget.js`)).text();
    const appPath = /\/widget\/app\.[0-9a-f]+\.js/.exec(loader)?.[0];
    expect(appPath).toBeTruthy();
    const widget = await fetch(`${server.url}${appPath}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(widget.headers.get('content-encoding')).toBe('gzip');

    const help = await fetch(`${server.url}/help/en`);
    expect(help.status).toBe(200);
    const scripts = [...(await help.text()).matchAll(/\/_app\/immutable\/[\w./-]+\.js/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    const asset = await fetch(`${server.url}${scripts[0]}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(['br', 'gzip']).toContain(asset.headers.get('content-encoding'));
    for (const s of new Set(scripts)) {
      const code = await (await fetch(`${server.url}${s}`)).text();
      expect(code, s).not.toContain('engine.io');
    }
  });

  it('wrote nothing outside DATA_DIR and the compiled admin CLI works', async () => {
    expect(snapshot(app)).toEqual(before);
    // PGlite allows one process per data directory: the CLI runs once the server is stopped.
    await server.kill();
    const env = { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, ...(dbUrl ? { DATABASE_URL: dbUrl } : {}) };
    const list = execFileSync(process.execPath, ['dist/admin.js', 'list-users'], { cwd: app, env, encoding: 'utf8' });
    expect(list).toContain(ADMIN.email);
  });
});
