import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppError, UserCreate } from '@autocrm/shared';
import { migrateToLatest } from '../../../db/migrate';
import { loadConfig } from '../config';
import type { Actor } from '../domain/actor';
import { resetTwoFactor } from '../domain/auth/two-factor';
import { createUser, findUserByEmail, listUsers, resetPassword, updateUser } from '../domain/auth/users';
import { openDatabase } from '../storage/db';

// `npm run admin -- <command>`: what an operator with shell access needs when nobody can sign in.
// Works on DATABASE_URL or the PGlite database under DATA_DIR, like the server.

const USAGE = `usage: npm run admin -- <command> [options]

commands:
  create-admin <email> [--name NAME]   create an administrator
  reset-password <email>               set a new password and end every session of that user
  promote <email>                      make a user an active administrator
  deactivate <email>                   deactivate a user (ends their sessions)
  reset-2fa <email>                    remove a user's second factor and recovery codes (ends their sessions)
  list-users                           list users with role and state

options:
  --password-stdin   read the new password from standard input (otherwise one is generated and printed)
`;

// Every change the CLI makes is audited as the system acting for the operator.
const CLI: Actor = { kind: 'system' };

async function readPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: randomBytes(12).toString('base64url'), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password.length < 10) throw new AppError('validation_failed', 'the password must be at least 10 characters');
  return { password, generated: false };
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  const [command, emailArg] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const needsEmail = ['create-admin', 'reset-password', 'promote', 'deactivate', 'reset-2fa'].includes(command);
  if (!needsEmail && command !== 'list-users') {
    process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  if (needsEmail && !emailArg) {
    process.stderr.write(`${command} needs an email address\n\n${USAGE}`);
    return 2;
  }
  const email = (emailArg ?? '').trim().toLowerCase();

  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrateToLatest(handle.db);
    const { db } = handle;
    if (command === 'list-users') {
      for (const u of await listUsers(db))
        console.log(`${u.email}\t${u.role}\t${u.active ? 'active' : 'deactivated'}\t${u.name}`);
      return 0;
    }
    const user = await findUserByEmail(db, email);
    if (command === 'create-admin') {
      if (user) throw new AppError('conflict', `${email} exists already: use reset-password or promote`);
      const { password, generated } = await readPassword(Boolean(values['password-stdin']));
      const input = UserCreate.parse({ email, name: values.name ?? email.split('@')[0], role: 'admin', password });
      await createUser(db, { actor: CLI, input });
      console.log(`created administrator ${email}${generated ? `\npassword: ${password}` : ''}`);
      return 0;
    }
    if (!user) throw new AppError('not_found', `no user with the email ${email}`);
    if (command === 'reset-password') {
      const { password, generated } = await readPassword(Boolean(values['password-stdin']));
      await resetPassword(db, { actor: CLI, userId: user.id, newPassword: password });
      console.log(`password of ${email} reset; their sessions are ended${generated ? `\npassword: ${password}` : ''}`);
    } else if (command === 'promote') {
      await updateUser(db, { actor: CLI, id: user.id, input: { role: 'admin', active: true } });
      console.log(`${email} is an active administrator`);
    } else if (command === 'reset-2fa') {
      await resetTwoFactor(db, { actor: CLI, userId: user.id });
      console.log(`two-factor sign-in of ${email} removed; their sessions are ended`);
    } else {
      await updateUser(db, { actor: CLI, id: user.id, input: { active: false } });
      console.log(`${email} is deactivated; their sessions are ended`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    const message = err instanceof AppError ? err.message : err?.issues ? 'invalid input: check the email address' : String(err);
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  },
);
