import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, freshPostgresDatabase, startTestServer } from './helpers/test-server';

// The admin CLI for the locked-out case: run as a real child process on the same database the server
// uses, then checked by signing in to a real server.

const root = path.resolve(__dirname, '..');

function cli(args: string[], env: Record<string, string>, stdin?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** The password step of signing in as the rescued admin: a session, or the second step owed. */
async function passwordStep(url: string): Promise<{ status: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'rescue@example.com', password: 'a-new-long-password' }),
  });
  return (await res.json()) as { status: string };
}

describe(`admin CLI (${BACKEND})`, () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const serverOpts = () =>
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR!, env: { DATABASE_URL: '' } };

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      env = { DATABASE_URL: fresh.url };
      cleanup = fresh.drop;
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'autocrm-cli-'));
      env = { DATA_DIR: dir, DATABASE_URL: '' };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('creates an admin, resets a forgotten password (ending sessions) and refuses bad use clearly', async () => {
    // The workspace exists first (its own admin), as on a real installation.
    await (await startTestServer(serverOpts())).close();
    const created = await cli(['create-admin', 'Rescue@Example.com', '--name', 'Rescue'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const generated = /password: (\S+)/.exec(created.stdout)?.[1];
    expect(generated).toBeTruthy();

    let s = await startTestServer(serverOpts());
    try {
      const session = await s.login('rescue@example.com', generated!);
      expect((await s.req('GET', '/auth/session', { auth: session })).body.user.role).toBe('admin');
    } finally {
      await s.close();
    }

    const reset = await cli(['reset-password', 'rescue@example.com', '--password-stdin'], env, 'a-new-long-password\n');
    expect(reset.code).toBe(0);
    expect(reset.stdout).not.toContain('a-new-long-password');

    s = await startTestServer(serverOpts());
    try {
      await expect(s.login('rescue@example.com', generated!)).rejects.toThrow(/401/);
      const rescued = await s.login('rescue@example.com', 'a-new-long-password');
      const audit = await s.req('GET', `/audit-log?entityType=user&entityId=${rescued.userId}`, { auth: s.admin });
      expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('user.password_reset');
      // Two-factor on, for the lost-phone case below.
      const { secret } = (await s.req('POST', '/me/two-factor/setup', { auth: rescued })).body;
      const on = await s.req('POST', '/me/two-factor/confirm', { auth: rescued, body: { code: generateSync({ secret }) } });
      expect(on.status).toBe(200);
      expect((await passwordStep(s.url)).status).toBe('two_factor_required');
    } finally {
      await s.close();
    }

    // Lost phone and no recovery codes: the CLI removes the second factor; the password alone signs in.
    const reset2fa = await cli(['reset-2fa', 'rescue@example.com'], env);
    expect(reset2fa.stderr).toBe('');
    expect(reset2fa.code).toBe(0);
    s = await startTestServer(serverOpts());
    try {
      expect((await passwordStep(s.url)).status).toBe('signed_in');
      const audit = await s.req('GET', '/audit-log?entityType=user', { auth: s.admin });
      expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('user.two_factor_reset');
    } finally {
      await s.close();
    }

    const dup = await cli(['create-admin', 'rescue@example.com'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/exists already/);
    const unknown = await cli(['reset-password', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user/);
    const short = await cli(['reset-password', 'rescue@example.com', '--password-stdin'], env, 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 10/);
    const usage = await cli(['frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command/);
    // Every step starts a process that opens the database: generous on a loaded machine.
  }, 300_000);
});
