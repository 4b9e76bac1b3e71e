import { randomBytes } from 'node:crypto';
import { AppError, type WhatsAppInboxSettingsUpdate, type WhatsAppTemplate } from '@autocrm/shared';
import type { z } from 'zod';
import type { Actor } from '../../domain/actor';
import { recordAudit } from '../../domain/audit/record-audit';
import type { Db } from '../../storage/db';
import type { SecretBox } from '../email/secret-box';

type Template = z.infer<typeof WhatsAppTemplate>;

/** What a WhatsApp inbox keeps in `inboxes.settings.whatsapp`; the token and app secret only sealed. */
interface StoredWhatsAppSettings {
  phoneNumberId?: string;
  accessTokenSealed?: string;
  appSecretSealed?: string;
  verifyToken?: string;
  templates?: Template[];
}

export interface WhatsAppInbox {
  id: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  templates: Template[];
}

const storedOf = (settings: Record<string, unknown>) => (settings.whatsapp ?? {}) as StoredWhatsAppSettings;

async function inboxRow(db: Db, id: string) {
  const row = await db.selectFrom('inboxes').select(['id', 'channel', 'settings']).where('id', '=', id).executeTakeFirst();
  return row?.channel === 'whatsapp' ? row : undefined;
}

/** The inbox with its secrets opened, or undefined when it is not a WhatsApp inbox or not set up. */
export async function loadWhatsAppInbox(db: Db, box: SecretBox, id: string): Promise<WhatsAppInbox | undefined> {
  const row = await inboxRow(db, id);
  const s = row ? storedOf(row.settings) : undefined;
  if (!row || !s?.phoneNumberId || !s.accessTokenSealed || !s.appSecretSealed || !s.verifyToken) return undefined;
  return {
    id: row.id,
    phoneNumberId: s.phoneNumberId,
    accessToken: box.open(s.accessTokenSealed),
    appSecret: box.open(s.appSecretSealed),
    verifyToken: s.verifyToken,
    templates: s.templates ?? [],
  };
}

/** The verify token of an inbox (made on first read), for the webhook handshake. */
export async function verifyTokenOf(db: Db, id: string): Promise<string | undefined> {
  const row = await inboxRow(db, id);
  return row ? storedOf(row.settings).verifyToken : undefined;
}

export async function getWhatsAppSettings(db: Db, props: { id: string; publicBaseUrl: string }) {
  await ensureVerifyToken(db, props.id);
  const row = await inboxRow(db, props.id);
  if (!row) throw new AppError('not_found', 'WhatsApp inbox not found');
  const s = storedOf(row.settings);
  return {
    phoneNumberId: s.phoneNumberId ?? null,
    hasAccessToken: Boolean(s.accessTokenSealed),
    hasAppSecret: Boolean(s.appSecretSealed),
    verifyToken: s.verifyToken ?? '',
    webhookUrl: `${props.publicBaseUrl}/api/v1/channels/whatsapp/${row.id}`,
    templates: s.templates ?? [],
  };
}

async function ensureVerifyToken(db: Db, id: string) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['channel', 'settings'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (row?.channel !== 'whatsapp' || storedOf(row.settings).verifyToken) return;
    const next = { ...storedOf(row.settings), verifyToken: randomBytes(18).toString('base64url') };
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, whatsapp: next }) })
      .where('id', '=', id)
      .execute();
  });
}

export async function updateWhatsAppSettings(
  db: Db,
  props: { actor: Actor; id: string; input: z.infer<typeof WhatsAppInboxSettingsUpdate>; box: SecretBox; publicBaseUrl: string },
) {
  const { actor, id, input, box } = props;
  await ensureVerifyToken(db, id);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['channel', 'settings'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (row?.channel !== 'whatsapp') throw new AppError('not_found', 'WhatsApp inbox not found');
    const before = storedOf(row.settings);
    const names = input.templates?.map((t) => `${t.name}/${t.language}`) ?? [];
    if (new Set(names).size !== names.length)
      throw new AppError('validation_failed', 'each template name and language once', [
        { path: 'templates', message: 'a template name and language appears twice' },
      ]);
    const next: StoredWhatsAppSettings = {
      ...before,
      ...(input.phoneNumberId !== undefined ? { phoneNumberId: input.phoneNumberId } : {}),
      ...(input.accessToken !== undefined ? { accessTokenSealed: box.seal(input.accessToken) } : {}),
      ...(input.appSecret !== undefined ? { appSecretSealed: box.seal(input.appSecret) } : {}),
      ...(input.templates !== undefined ? { templates: input.templates } : {}),
    };
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, whatsapp: next }) })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'inbox.whatsapp_settings_updated',
      entityType: 'inbox',
      entityId: id,
      before: { phoneNumberId: before.phoneNumberId ?? null, templates: before.templates ?? [] },
      after: {
        phoneNumberId: next.phoneNumberId ?? null,
        templates: next.templates ?? [],
        accessTokenChanged: input.accessToken !== undefined,
        appSecretChanged: input.appSecret !== undefined,
      },
    });
  });
  return getWhatsAppSettings(db, { id, publicBaseUrl: props.publicBaseUrl });
}
