import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/src/config';
import { ADMIN, BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Prometheus text exposition: `# HELP`/`# TYPE` comments and `name{labels} value` samples. */
// Values are Go floats: NaN and Inf in any letter case (prom-client prints `Nan` before the first sample).
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|[Nn][Aa][Nn]|[+-][Ii]nf)( [0-9]+)?$/;

function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(`ops endpoints (${BACKEND})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it('/healthz answers ok', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 while the database answers', async () => {
    const res = await fetch(`${s.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', postgres: 'up', redis: 'none' });
  });

  it('/metrics is Prometheus text with request, outbox and process metrics', async () => {
    const key = await s.apiKey(['conversations:read', 'conversations:write']);
    expect((await s.req('GET', '/conversations', { auth: key })).status).toBe(200);

    // Events written while no relay runs show as pending, and drop to zero once dispatched.
    await s.deps.relay.stop();
    try {
      const created = await s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, subject: 'metrics' } });
      expect(created.status).toBe(201);
      const pending = await (await fetch(`${s.url}/metrics`)).text();
      expect(sampleValue(pending, 'autocrm_outbox_pending_events')).toBeGreaterThanOrEqual(1);
    } finally {
      s.deps.relay.start();
    }
    // Routing's round for the new ticket emits its own event after the first ones are dispatched.
    await s.settle();
    await s.deps.routing.settle();
    await s.settle();

    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const bad = text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('# HELP ') && !l.startsWith('# TYPE ') && !SAMPLE.test(l));
    expect(bad).toEqual([]);

    expect(text).toContain('# TYPE autocrm_http_request_duration_seconds histogram');
    const served = text
      .split('\n')
      .filter((l) => l.startsWith('autocrm_http_request_duration_seconds_count{') && l.includes('method="GET"'))
      .filter((l) => l.includes('status="200"') && l.includes('/conversations'));
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE autocrm_outbox_pending_events gauge');
    expect(sampleValue(text, 'autocrm_outbox_pending_events')).toBe(0);
    expect(text).toContain('# TYPE autocrm_webhook_deliveries_pending gauge');
    // Default process and Node.js metrics.
    expect(sampleValue(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('puts an X-Request-Id on every response, echoing only a safe caller id', async () => {
    const key = await s.apiKey(['conversations:read']);
    const targets: [string, RequestInit][] = [
      ['/healthz', {}],
      ['/readyz', {}],
      ['/metrics', {}],
      ['/api/docs', {}],
      ['/api/v1/openapi.json', {}],
      ['/api/v1/conversations', { headers: { authorization: `Bearer ${key}` } }],
      ['/api/v1/conversations', {}],
      [
        '/api/v1/conversations',
        { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{' },
      ],
      ['/no/such/route', {}],
    ];
    const ids = new Set<string>();
    for (const [p, init] of targets) {
      const res = await fetch(`${s.url}${p}`, init);
      const id = res.headers.get('x-request-id');
      expect(id, `${init.method ?? 'GET'} ${p} (${res.status})`).toMatch(UUID);
      ids.add(id!);
      // Error bodies carry the same id, so a user's report can be matched to the logs.
      if (res.status >= 400) expect(((await res.json()) as any).error.requestId).toBe(id);
      else await res.arrayBuffer();
    }
    expect(ids.size).toBe(targets.length);

    for (const safe of ['req-123', 'trace.ABC_def-9', 'x'.repeat(100)]) {
      const res = await fetch(`${s.url}/healthz`, { headers: { 'x-request-id': safe } });
      expect(res.headers.get('x-request-id')).toBe(safe);
    }
    const echoedOnError = await fetch(`${s.url}/api/v1/conversations`, { headers: { 'x-request-id': 'caller-42' } });
    expect(echoedOnError.status).toBe(401);
    expect(echoedOnError.headers.get('x-request-id')).toBe('caller-42');
    expect(((await echoedOnError.json()) as any).error.requestId).toBe('caller-42');

    for (const unsafe of ['a b<script>', 'x'.repeat(101), 'id;drop', 'ünïcode', '"quoted"']) {
      const res = await fetch(`${s.url}/healthz`, { headers: { 'x-request-id': unsafe } });
      const id = res.headers.get('x-request-id');
      expect(id, unsafe).not.toBe(unsafe);
      expect(id, unsafe).toMatch(UUID);
    }
  });

  it('answers unknown routes with a JSON 404 not_found', async () => {
    const key = await s.apiKey(['admin']);
    const cases: [string, string, Record<string, string>][] = [
      ['GET', '/no/such/route', {}],
      ['POST', '/healthz/extra', {}],
      ['GET', '/api/v1/no-such-thing', {}],
      ['GET', '/api/v1/no-such-thing', { authorization: `Bearer ${key}` }],
      ['DELETE', '/api/v1/conversations', { authorization: `Bearer ${key}` }],
      ['GET', '/api/docs/assets/nope.js', {}],
    ];
    for (const [method, p, headers] of cases) {
      const res = await fetch(`${s.url}${p}`, { method, headers });
      const where = `${method} ${p}`;
      expect(res.status, where).toBe(404);
      expect(res.headers.get('content-type'), where).toMatch(/^application\/json/);
      const body = (await res.json()) as any;
      expect(body.error.code, where).toBe('not_found');
      expect(body.error.message, where).toEqual(expect.any(String));
    }
  });
});

describe(`readiness when the database is gone (${BACKEND})`, () => {
  it('/readyz turns 503 while /healthz stays 200', async () => {
    const s = await startTestServer();
    try {
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      await s.deps.db.destroy();
      const res = await fetch(`${s.url}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).status).toBe('down');
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe(`logs never contain secrets (${BACKEND})`, () => {
  let s: TestServer;
  let receiver: Server;
  let hits = 0;
  const lines: string[] = [];

  beforeAll(async () => {
    // A webhook target that always fails, so the delivery worker logs its failure too.
    receiver = createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => res.writeHead(500).end('nope'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    s = await startTestServer({ logger: pino({ level: 'trace' }, sink) });
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('keeps passwords, API keys, webhook secrets, session cookies and CSRF tokens out of every log line', async () => {
    const secrets: Record<string, string> = {};
    // startTestServer signed the admin in with the password through this logger.
    secrets.adminPassword = ADMIN.password;
    secrets.adminCookie = s.admin.cookie.split('=')[1]!;
    secrets.adminCsrf = s.admin.csrfToken;

    // A failed sign-in, and a person with a password who signs in and changes it.
    secrets.wrongPassword = 'wrong-password-Zq81';
    expect((await s.req('POST', '/auth/login', { body: { email: ADMIN.email, password: secrets.wrongPassword } })).status).toBe(
      401,
    );
    secrets.agentPassword = 'agent-password-Kx73';
    const agent = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'agent@test.autocrm.dev', name: 'Agent', role: 'agent', password: secrets.agentPassword },
    });
    expect(agent.status).toBe(201);
    const session = await s.login('agent@test.autocrm.dev', secrets.agentPassword);
    secrets.agentCookie = session.cookie.split('=')[1]!;
    secrets.agentCsrf = session.csrfToken;
    expect(
      (await s.req('GET', '/auth/session', { auth: session, headers: { 'x-request-id': 'log-probe-session' } })).status,
    ).toBe(200);
    expect((await s.req('POST', '/conversations', { auth: session, noCsrf: true, body: { inboxId: s.inboxId } })).status).toBe(
      403,
    );
    secrets.newAgentPassword = 'agent-new-password-Vw55';
    const changed = await s.req('POST', '/auth/password', {
      auth: session,
      body: { currentPassword: secrets.agentPassword, newPassword: secrets.newAgentPassword },
    });
    expect(changed.status).toBe(204);

    // An API key, used as a bearer token (also in a query string and once revoked-style invalid).
    const key = await s.apiKey(['conversations:read', 'conversations:write', 'webhooks:manage']);
    secrets.apiKey = key;
    expect((await s.req('GET', `/conversations?q=${encodeURIComponent(key)}`, { auth: key })).status).toBe(200);
    secrets.badKey = `${key.slice(0, -4)}zzzz`;
    expect((await s.req('GET', '/conversations', { auth: secrets.badKey })).status).toBe(401);

    // A webhook: its secret is returned once and used to sign each delivery attempt.
    const hook = await s.req('POST', '/webhooks', {
      auth: s.admin,
      body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['conversation.created'] },
    });
    expect(hook.status).toBe(201);
    secrets.webhookSecret = hook.body.secret;
    expect(secrets.webhookSecret).toMatch(/^whsec_/);
    const conv = await s.req('POST', '/conversations', {
      auth: key,
      headers: { 'x-request-id': 'log-probe-bearer' },
      body: { inboxId: s.inboxId, subject: 'log probe', message: { body: 'hello' } },
    });
    expect(conv.status).toBe(201);
    await waitFor(() => hits >= 1 && lines.some((l) => l.includes('webhook delivery failed')));

    const log = lines.join('');
    // The capture works and saw this traffic: request lines for the calls above, with actors.
    expect(log).toContain('"path":"/api/v1/auth/login"');
    expect(log).toContain('"requestId":"log-probe-session"');
    expect(log).toContain('"requestId":"log-probe-bearer"');
    expect(log).toMatch(/"actor":"api_key:[^"]+"/);
    expect(log).toContain('webhook delivery failed');

    for (const [name, value] of Object.entries(secrets)) expect(value.length, name).toBeGreaterThanOrEqual(8);
    const leaked = Object.entries(secrets)
      .filter(([, value]) => log.includes(value))
      .map(([name]) => name);
    expect(leaked, 'secrets found in the logs').toEqual([]);
    // The API key's secret part (after any prefix) is not logged either.
    expect(log).not.toContain(key.slice(-16));
  });
});

describe('configuration is checked at start', () => {
  const invalid: [string, Record<string, string>, string][] = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT'],
    ['DATABASE_URL=mysql://x', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['ADMIN_EMAIL without ADMIN_PASSWORD', { ADMIN_EMAIL: 'boss@example.com' }, 'ADMIN_PASSWORD'],
  ];

  it.each(invalid)('loadConfig refuses %s, naming the variable', (_label, env, variable) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as Error).message;
    expect(message).toMatch(new RegExp(`^\\s*${variable}: `, 'm'));
    // Only the bad variable is named.
    const named = [...message.matchAll(/^\s*([A-Z_]+): /gm)].map((m) => m[1]);
    expect(named).toEqual([variable]);
  });

  it('loadConfig accepts the same settings when they are valid', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/x',
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: 'boss@example.com',
      ADMIN_PASSWORD: 'long-enough-password',
    });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://u@db:5432/x', LOG_LEVEL: 'debug' });
    expect(loadConfig({}).PORT).toBe(3000);
  });

  it('npm start with PORT=abc exits non-zero and names PORT', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'autocrm-config-'));
    try {
      const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/src/main.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? dataDir,
          PORT: 'abc',
          DATA_DIR: dataDir,
          SEED_DEMO: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c) => resolve(c));
      });
      expect(code, stderr).not.toBe(0);
      expect(code, stderr).not.toBeNull();
      expect(stderr).toMatch(/^\s*PORT: /m);
      // A readable message, not a stack trace, and nothing started.
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stdout).not.toContain('AutoCRM is running');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
