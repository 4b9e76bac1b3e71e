import { createHash } from 'node:crypto';
import { AppError, type PortalSettings, type PortalSettingsUpdate } from '@autocrm/shared';
import { fileTypeFromBuffer } from 'file-type';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

const KEY = 'portal';
const LOGO_KEY = 'portal_logo';
const LOGO_MAX_BYTES = 200 * 1024;

interface Stored {
  name?: string;
  primaryColor?: string;
  inboxId?: string | null;
  logoVersion?: string | null;
}

interface StoredLogo {
  contentType: string;
  base64: string;
}

const DEFAULTS = { name: 'Support', primaryColor: '#2f5bea' };

/**
 * The portal's look (name, colour, logo) and where its new tickets land. Kept in `settings`: one
 * workspace, one portal. The logo is small and served from here (no uploads store involved).
 */
export async function getPortalSettings(db: Db): Promise<z.infer<typeof PortalSettings>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const v = (row?.value ?? {}) as Stored;
  return {
    name: v.name ?? DEFAULTS.name,
    primaryColor: v.primaryColor ?? DEFAULTS.primaryColor,
    logoUrl: v.logoVersion ? `/api/v1/portal/branding/logo?v=${v.logoVersion}` : null,
    helpCenterUrl: '/help',
    inboxId: v.inboxId ?? null,
  };
}

export async function getPortalBranding(db: Db) {
  const { inboxId: _inboxId, ...branding } = await getPortalSettings(db);
  return branding;
}

export async function getPortalLogo(db: Db): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', LOGO_KEY).executeTakeFirst();
  const logo = row?.value as StoredLogo | undefined;
  return logo ? { contentType: logo.contentType, bytes: Buffer.from(logo.base64, 'base64') } : undefined;
}

/** The inbox a portal ticket opens in: the configured one, else the first web (chat) inbox, else any. */
export async function portalInboxId(db: Db): Promise<string> {
  const { inboxId } = await getPortalSettings(db);
  if (inboxId) {
    const found = await db.selectFrom('inboxes').select('id').where('id', '=', inboxId).executeTakeFirst();
    if (found) return found.id;
  }
  const inbox =
    (await db.selectFrom('inboxes').select('id').where('channel', '=', 'web').orderBy('created_at').executeTakeFirst()) ??
    (await db.selectFrom('inboxes').select('id').orderBy('created_at').executeTakeFirst());
  if (!inbox) throw new AppError('conflict', 'the workspace has no inbox for portal tickets');
  return inbox.id;
}

export type UpdatePortalSettingsProps = { actor: Actor; input: z.infer<typeof PortalSettingsUpdate> };

/** Admins set the portal's name, colour, logo (checked by its bytes, never SVG) and ticket inbox. */
export async function updatePortalSettings(db: Db, { actor, input }: UpdatePortalSettingsProps) {
  let logo: StoredLogo | null | undefined;
  if (input.logo) {
    const bytes = Buffer.from(input.logo.base64, 'base64');
    if (!bytes.length || bytes.length > LOGO_MAX_BYTES)
      throw new AppError('validation_failed', 'logo: a logo is at most 200 KB', [{ path: 'logo', message: 'at most 200 KB' }]);
    const detected = await fileTypeFromBuffer(bytes);
    if (detected?.mime !== input.logo.contentType)
      throw new AppError('validation_failed', 'logo: the file is not the image it says it is', [
        { path: 'logo', message: 'not a PNG, JPEG, WebP or GIF image' },
      ]);
    logo = { contentType: detected.mime, base64: bytes.toString('base64') };
  } else if (input.logo === null) logo = null;
  if (input.inboxId) {
    const found = await db.selectFrom('inboxes').select('id').where('id', '=', input.inboxId).executeTakeFirst();
    if (!found)
      throw new AppError('validation_failed', 'inboxId: unknown inbox', [{ path: 'inboxId', message: 'unknown inbox' }]);
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY).forUpdate().executeTakeFirst();
    const before = (row?.value ?? {}) as Stored;
    const next: Stored = {
      ...before,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.primaryColor !== undefined ? { primaryColor: input.primaryColor.toLowerCase() } : {}),
      ...(input.inboxId !== undefined ? { inboxId: input.inboxId } : {}),
    };
    if (logo) {
      next.logoVersion = createHash('sha256').update(logo.base64).digest('hex').slice(0, 12);
      const value = JSON.stringify(logo);
      await trx
        .insertInto('settings')
        .values({ key: LOGO_KEY, value, updated_at: sql<Date>`now()` })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql<Date>`now()` }))
        .execute();
    } else if (logo === null) {
      next.logoVersion = null;
      await trx.deleteFrom('settings').where('key', '=', LOGO_KEY).execute();
    }
    const value = JSON.stringify(next);
    await trx
      .insertInto('settings')
      .values({ key: KEY, value, updated_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql<Date>`now()` }))
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'portal.settings_updated',
      entityType: 'settings',
      entityId: KEY,
      before,
      after: next,
    });
    return getPortalSettings(trx);
  });
}
