import { AppError, type EmailInboxSettingsUpdate } from '@autocrm/shared';
import type { z } from 'zod';
import type { Config } from '../../config';
import type { Actor } from '../../domain/actor';
import { recordAudit } from '../../domain/audit/record-audit';
import type { Db } from '../../storage/db';
import { dkimDnsRecord, makeDkimKey } from './dkim';
import { imapClient } from './imap-mailbox';
import { inboxAddress, type StoredEmailSettings } from './inbox-addresses';
import type { SecretBox } from './secret-box';
import { SmtpTransports, smtpOptions } from './smtp-transport';

type Update = z.infer<typeof EmailInboxSettingsUpdate>;

async function emailInboxRow(db: Db, id: string) {
  const row = await db
    .selectFrom('inboxes')
    .select(['id', 'name', 'channel', 'settings'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'inbox not found');
  if (row.channel !== 'email') throw new AppError('validation_failed', 'this is not an email inbox');
  return row;
}

const stored = (settings: Record<string, unknown>) => (settings.email ?? {}) as StoredEmailSettings;

type ImapStatus = { lastError: string | null; lastSyncedAt: string | null };

function present(row: { name: string; settings: Record<string, unknown> }, config: Config, imapStatus?: ImapStatus) {
  const email = stored(row.settings);
  return {
    address: inboxAddress(row) ?? null,
    signature: email.signature ?? null,
    smtp: email.smtp
      ? {
          host: email.smtp.host,
          port: email.smtp.port,
          secure: email.smtp.secure,
          user: email.smtp.user,
          hasPassword: Boolean(email.smtp.passwordSealed),
        }
      : null,
    usesDefaultSmtp: !email.smtp && Boolean(config.SMTP_URL),
    imap: email.imap
      ? {
          host: email.imap.host,
          port: email.imap.port,
          secure: email.imap.secure,
          user: email.imap.user,
          hasPassword: Boolean(email.imap.passwordSealed),
          mailbox: email.imap.mailbox,
          moveTo: email.imap.moveTo,
          lastError: imapStatus?.lastError ?? null,
          lastSyncedAt: imapStatus?.lastSyncedAt ?? null,
        }
      : null,
    dkim: email.dkim ? { domain: email.dkim.domain, selector: email.dkim.selector, ...dkimDnsRecord(email.dkim) } : null,
    transcriptOnResolve: email.transcriptOnResolve === true,
    csatByEmail: email.csatByEmail === true,
  };
}

async function imapStatusOf(db: Db, id: string): Promise<ImapStatus | undefined> {
  const s = await db
    .selectFrom('email_imap_state')
    .select(['last_error', 'last_synced_at'])
    .where('inbox_id', '=', id)
    .executeTakeFirst();
  return s ? { lastError: s.last_error, lastSyncedAt: s.last_synced_at?.toISOString() ?? null } : undefined;
}

export async function getEmailInboxSettings(db: Db, config: Config, id: string) {
  return present(await emailInboxRow(db, id), config, await imapStatusOf(db, id));
}

/** Changes an email inbox's address, signature or own SMTP server; the password is sealed before it is stored. */
export async function updateEmailInboxSettings(
  db: Db,
  props: { actor: Actor; config: Config; box: SecretBox; id: string; input: Update },
) {
  const { input } = props;
  return db.transaction().execute(async (trx) => {
    const row = await emailInboxRow(trx, props.id);
    const before = stored(row.settings);
    const next = { ...before };
    if (input.address !== undefined) {
      const address = input.address.toLowerCase();
      const taken = await trx
        .selectFrom('inboxes')
        .select(['id', 'name', 'settings'])
        .where('channel', '=', 'email')
        .where('id', '<>', row.id)
        .execute();
      if (taken.some((t) => inboxAddress(t) === address)) {
        throw new AppError('conflict', 'address: another inbox already uses this address', [
          { path: 'address', message: 'already in use' },
        ]);
      }
      next.address = address;
    }
    if (input.signature !== undefined) next.signature = input.signature?.trim() || null;
    if (input.smtp === null) next.smtp = null;
    else if (input.smtp) {
      const keep = before.smtp?.host === input.smtp.host && before.smtp.user === (input.smtp.user ?? null);
      next.smtp = {
        host: input.smtp.host,
        port: input.smtp.port,
        secure: input.smtp.secure,
        user: input.smtp.user ?? null,
        passwordSealed:
          input.smtp.password !== undefined
            ? props.box.seal(input.smtp.password)
            : keep
              ? (before.smtp?.passwordSealed ?? null)
              : null,
      };
    }
    if (input.imap === null) next.imap = null;
    else if (input.imap) {
      const keep = before.imap?.host === input.imap.host && before.imap.user === input.imap.user;
      next.imap = {
        host: input.imap.host,
        port: input.imap.port,
        secure: input.imap.secure,
        user: input.imap.user,
        passwordSealed:
          input.imap.password !== undefined
            ? props.box.seal(input.imap.password)
            : keep
              ? (before.imap?.passwordSealed ?? null)
              : null,
        mailbox: input.imap.mailbox,
        moveTo: input.imap.moveTo ?? null,
      };
      // Another mailbox: its UIDs mean nothing for the old one, so tracking starts again.
      if (
        before.imap?.host !== next.imap.host ||
        before.imap?.user !== next.imap.user ||
        before.imap?.mailbox !== next.imap.mailbox
      ) {
        await trx.deleteFrom('email_imap_state').where('inbox_id', '=', row.id).execute();
      }
    }
    if (input.dkim === null) next.dkim = null;
    else if (input.dkim) {
      const key =
        input.dkim.privateKey !== undefined
          ? makeDkimKey(input.dkim.privateKey)
          : before.dkim
            ? { privateKey: props.box.open(before.dkim.privateKeySealed), publicKey: before.dkim.publicKey }
            : makeDkimKey(undefined);
      next.dkim = {
        domain: input.dkim.domain,
        selector: input.dkim.selector,
        privateKeySealed: props.box.seal(key.privateKey),
        publicKey: key.publicKey,
      };
    }
    if (input.transcriptOnResolve !== undefined) next.transcriptOnResolve = input.transcriptOnResolve;
    if (input.csatByEmail !== undefined) next.csatByEmail = input.csatByEmail;
    const settings = { ...row.settings, email: next };
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', row.id)
      .execute();
    const after = present({ name: row.name, settings }, props.config);
    await recordAudit(trx, {
      actor: props.actor,
      action: 'inbox.email_updated',
      entityType: 'inbox',
      entityId: row.id,
      before: present(row, props.config),
      after,
    });
    return after;
  });
}

/** "Test connection" and "send a test mail": talks to the inbox's outgoing server as a reply would. */
export async function testEmailInbox(db: Db, props: { config: Config; box: SecretBox; id: string; to: string | undefined }) {
  const row = await emailInboxRow(db, props.id);
  const email = stored(row.settings);
  const address = inboxAddress(row);
  const transports = new SmtpTransports();
  try {
    const transport = transports.get(smtpOptions(email.smtp?.host ? email.smtp : undefined, props.config.SMTP_URL, props.box));
    if (!transport) return { ok: false, sent: false, error: 'no outgoing mail server is configured (SMTP_URL or this inbox)' };
    await transport.verify();
    if (!props.to) return { ok: true, sent: false, error: null };
    if (!address) return { ok: true, sent: false, error: 'the inbox has no address to send from' };
    await transport.sendMail({
      from: { name: row.name, address },
      to: props.to,
      subject: 'AutoCRM test mail',
      text: `This is a test mail from the inbox ${address}. Replies to your customers go out the same way.`,
    });
    return { ok: true, sent: true, error: null };
  } catch (err) {
    const e = err as { response?: string; message?: string };
    return { ok: false, sent: false, error: String(e.response ?? e.message ?? 'the server did not answer').slice(0, 300) };
  } finally {
    transports.close();
  }
}

/** "Test connection" for the inbox's mailbox: logs in and opens the mailbox, as the poller would. */
export async function testImapInbox(db: Db, props: { box: SecretBox; id: string }) {
  const row = await emailInboxRow(db, props.id);
  const imap = stored(row.settings).imap;
  if (!imap) return { ok: false, sent: false, error: 'no IMAP mailbox is configured for this inbox' };
  const client = imapClient(imap, props.box);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.mailboxOpen(imap.mailbox);
    return { ok: true, sent: false, error: null };
  } catch (err) {
    const e = err as { responseText?: string; message?: string };
    return { ok: false, sent: false, error: String(e.responseText ?? e.message ?? 'the server did not answer').slice(0, 300) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
