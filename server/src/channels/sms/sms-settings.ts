import { AppError, type SmsInboxSettingsUpdate } from '@autocrm/shared';
import type { z } from 'zod';
import type { Actor } from '../../domain/actor';
import { recordAudit } from '../../domain/audit/record-audit';
import type { Db } from '../../storage/db';
import type { SecretBox } from '../email/secret-box';

/** What an SMS inbox keeps in `inboxes.settings.sms`; the auth token only sealed. */
export interface StoredSmsSettings {
  accountSid?: string;
  authTokenSealed?: string;
  from?: string | null;
  messagingServiceSid?: string | null;
}

export interface SmsInbox {
  id: string;
  name: string;
  accountSid: string;
  authToken: string;
  from: string | null;
  messagingServiceSid: string | null;
}

const storedOf = (settings: Record<string, unknown>) => (settings.sms ?? {}) as StoredSmsSettings;

async function smsInboxRow(db: Db, id: string) {
  const row = await db
    .selectFrom('inboxes')
    .select(['id', 'name', 'channel', 'settings'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row?.channel !== 'sms') return undefined;
  return row;
}

/** An SMS inbox with its credentials opened, or undefined when it is not one or is not set up yet. */
export async function loadSmsInbox(db: Db, box: SecretBox, id: string): Promise<SmsInbox | undefined> {
  const row = await smsInboxRow(db, id);
  if (!row) return undefined;
  const s = storedOf(row.settings);
  if (!s.accountSid || !s.authTokenSealed) return undefined;
  return {
    id: row.id,
    name: row.name,
    accountSid: s.accountSid,
    authToken: box.open(s.authTokenSealed),
    from: s.from ?? null,
    messagingServiceSid: s.messagingServiceSid ?? null,
  };
}

export const webhookUrls = (base: string, inboxId: string) => ({
  inbound: `${base}/api/v1/channels/twilio/${inboxId}/sms`,
  status: `${base}/api/v1/channels/twilio/${inboxId}/status`,
});

export async function getSmsInboxSettings(db: Db, props: { id: string; publicBaseUrl: string }) {
  const row = await smsInboxRow(db, props.id);
  if (!row) throw new AppError('not_found', 'SMS inbox not found');
  const s = storedOf(row.settings);
  return {
    provider: 'twilio' as const,
    accountSid: s.accountSid ?? null,
    hasAuthToken: Boolean(s.authTokenSealed),
    from: s.from ?? null,
    messagingServiceSid: s.messagingServiceSid ?? null,
    webhookUrls: webhookUrls(props.publicBaseUrl, row.id),
  };
}

/** Changes an SMS inbox's provider settings; the token is sealed, and the audit never names it. */
export async function updateSmsInboxSettings(
  db: Db,
  props: { actor: Actor; id: string; input: z.infer<typeof SmsInboxSettingsUpdate>; box: SecretBox; publicBaseUrl: string },
) {
  const { actor, id, input, box } = props;
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['id', 'channel', 'settings'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (row?.channel !== 'sms') throw new AppError('not_found', 'SMS inbox not found');
    const before = storedOf(row.settings);
    const next: StoredSmsSettings = {
      ...before,
      ...(input.accountSid !== undefined ? { accountSid: input.accountSid } : {}),
      ...(input.authToken !== undefined ? { authTokenSealed: box.seal(input.authToken) } : {}),
      ...(input.from !== undefined ? { from: input.from } : {}),
      ...(input.messagingServiceSid !== undefined ? { messagingServiceSid: input.messagingServiceSid } : {}),
    };
    if (!next.from && !next.messagingServiceSid && (next.accountSid || next.authTokenSealed))
      throw new AppError('validation_failed', 'give the number to send from, or a Messaging Service SID', [
        { path: 'from', message: 'a sender is needed: a number or a Messaging Service SID' },
      ]);
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, sms: next }) })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'inbox.sms_settings_updated',
      entityType: 'inbox',
      entityId: id,
      before: {
        accountSid: before.accountSid ?? null,
        from: before.from ?? null,
        messagingServiceSid: before.messagingServiceSid ?? null,
      },
      after: {
        accountSid: next.accountSid ?? null,
        from: next.from ?? null,
        messagingServiceSid: next.messagingServiceSid ?? null,
        authTokenChanged: input.authToken !== undefined,
      },
    });
  });
  return getSmsInboxSettings(db, { id, publicBaseUrl: props.publicBaseUrl });
}
