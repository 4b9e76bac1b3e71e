import { randomBytes } from 'node:crypto';
import { AppError, type MessengerInboxSettingsUpdate } from '@autocrm/shared';
import type { z } from 'zod';
import type { Actor } from '../../domain/actor';
import { recordAudit } from '../../domain/audit/record-audit';
import type { Db } from '../../storage/db';
import type { SecretBox } from '../email/secret-box';

/** What a Messenger inbox keeps in `inboxes.settings.messenger`; the page token and app secret only sealed. */
interface StoredMessengerSettings {
  pageId?: string;
  instagramAccountId?: string | null;
  pageAccessTokenSealed?: string;
  appSecretSealed?: string;
  verifyToken?: string;
}

export interface MessengerInbox {
  id: string;
  pageId: string;
  instagramAccountId: string | null;
  pageAccessToken: string;
  appSecret: string;
  verifyToken: string;
}

const storedOf = (settings: Record<string, unknown>) => (settings.messenger ?? {}) as StoredMessengerSettings;

async function inboxRow(db: Db, id: string) {
  const row = await db.selectFrom('inboxes').select(['id', 'channel', 'settings']).where('id', '=', id).executeTakeFirst();
  return row?.channel === 'messenger' ? row : undefined;
}

/** The inbox with its secrets opened, or undefined when it is not a Messenger inbox or not set up. */
export async function loadMessengerInbox(db: Db, box: SecretBox, id: string): Promise<MessengerInbox | undefined> {
  const row = await inboxRow(db, id);
  const s = row ? storedOf(row.settings) : undefined;
  if (!row || !s?.pageId || !s.pageAccessTokenSealed || !s.appSecretSealed || !s.verifyToken) return undefined;
  return {
    id: row.id,
    pageId: s.pageId,
    instagramAccountId: s.instagramAccountId ?? null,
    pageAccessToken: box.open(s.pageAccessTokenSealed),
    appSecret: box.open(s.appSecretSealed),
    verifyToken: s.verifyToken,
  };
}

export async function messengerVerifyTokenOf(db: Db, id: string): Promise<string | undefined> {
  const row = await inboxRow(db, id);
  return row ? storedOf(row.settings).verifyToken : undefined;
}

/** Changes the stored settings under a row lock, making the verify token on first use. */
async function changeStored(
  db: Db,
  id: string,
  change: (before: StoredMessengerSettings) => StoredMessengerSettings,
  after?: (trx: Db, before: StoredMessengerSettings, next: StoredMessengerSettings) => Promise<void>,
) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['channel', 'settings'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (row?.channel !== 'messenger') throw new AppError('not_found', 'Messenger inbox not found');
    const before = storedOf(row.settings);
    const next = change({ ...before, verifyToken: before.verifyToken ?? randomBytes(18).toString('base64url') });
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, messenger: next }) })
      .where('id', '=', id)
      .execute();
    await after?.(trx, before, next);
  });
}

export async function getMessengerSettings(db: Db, props: { id: string; publicBaseUrl: string }) {
  const existing = await inboxRow(db, props.id);
  if (!existing) throw new AppError('not_found', 'Messenger inbox not found');
  if (!storedOf(existing.settings).verifyToken) await changeStored(db, props.id, (s) => s);
  const row = (await inboxRow(db, props.id))!;
  const s = storedOf(row.settings);
  return {
    pageId: s.pageId ?? null,
    instagramAccountId: s.instagramAccountId ?? null,
    hasPageAccessToken: Boolean(s.pageAccessTokenSealed),
    hasAppSecret: Boolean(s.appSecretSealed),
    verifyToken: s.verifyToken ?? '',
    webhookUrl: `${props.publicBaseUrl}/api/v1/channels/messenger/${row.id}`,
  };
}

export async function updateMessengerSettings(
  db: Db,
  props: { actor: Actor; id: string; input: z.infer<typeof MessengerInboxSettingsUpdate>; box: SecretBox; publicBaseUrl: string },
) {
  const { actor, id, input, box } = props;
  await changeStored(
    db,
    id,
    (before) => ({
      ...before,
      ...(input.pageId !== undefined ? { pageId: input.pageId } : {}),
      ...(input.instagramAccountId !== undefined ? { instagramAccountId: input.instagramAccountId } : {}),
      ...(input.pageAccessToken !== undefined ? { pageAccessTokenSealed: box.seal(input.pageAccessToken) } : {}),
      ...(input.appSecret !== undefined ? { appSecretSealed: box.seal(input.appSecret) } : {}),
    }),
    (trx, before, next) =>
      recordAudit(trx, {
        actor,
        action: 'inbox.messenger_settings_updated',
        entityType: 'inbox',
        entityId: id,
        before: { pageId: before.pageId ?? null, instagramAccountId: before.instagramAccountId ?? null },
        after: {
          pageId: next.pageId ?? null,
          instagramAccountId: next.instagramAccountId ?? null,
          pageAccessTokenChanged: input.pageAccessToken !== undefined,
          appSecretChanged: input.appSecret !== undefined,
        },
      }),
  );
  return getMessengerSettings(db, { id, publicBaseUrl: props.publicBaseUrl });
}
