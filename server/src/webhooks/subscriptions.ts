import { randomBytes } from 'node:crypto';
import { AppError } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { WebhooksTable } from '../../../db/types';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../domain/audit/record-audit';
import type { Db } from '../storage/db';
import type { SsrfGuard } from './ssrf-guard';

const present = (w: Selectable<WebhooksTable>) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  active: w.active,
  createdAt: w.created_at.toISOString(),
});

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export async function listWebhooks(db: Db) {
  return (await db.selectFrom('webhooks').selectAll().orderBy('created_at').execute()).map(present);
}

export async function getWebhook(db: Db, id: string) {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'webhook not found');
  return present(row);
}

export async function createWebhook(
  db: Db,
  guard: SsrfGuard,
  actor: Actor,
  input: { url: string; events: string[]; description?: string | undefined; active?: boolean | undefined },
) {
  await guard.assertAllowedUrl(input.url);
  const secret = newSecret();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhooks')
      .values({
        url: input.url,
        secret,
        events: [...new Set(input.events)],
        description: input.description ?? null,
        active: input.active ?? true,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'webhook.created', entityType: 'webhook', entityId: row.id, after: present(row) });
    return { ...present(row), secret };
  });
}

export async function updateWebhook(
  db: Db,
  guard: SsrfGuard,
  actor: Actor,
  id: string,
  input: {
    url?: string | undefined;
    events?: string[] | undefined;
    description?: string | null | undefined;
    active?: boolean | undefined;
  },
) {
  if (input.url) await guard.assertAllowedUrl(input.url);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('webhooks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'webhook not found');
    const row = await trx
      .updateTable('webhooks')
      .set({
        ...(input.url ? { url: input.url } : {}),
        ...(input.events ? { events: [...new Set(input.events)] } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'webhook.updated',
      entityType: 'webhook',
      entityId: id,
      before: present(before),
      after: present(row),
    });
    return present(row);
  });
}

export async function deleteWebhook(db: Db, actor: Actor, id: string) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('webhooks').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'webhook not found');
    await recordAudit(trx, { actor, action: 'webhook.deleted', entityType: 'webhook', entityId: id, before: present(row) });
  });
}

/**
 * A new signing secret, returned once; the old one stops at once: every delivery from now on (retries
 * of older events too) is signed with the new one, so the receiver switches its key at the same time.
 */
export async function rotateWebhookSecret(db: Db, actor: Actor, id: string) {
  const secret = newSecret();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhooks')
      .set({ secret, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'webhook not found');
    await recordAudit(trx, { actor, action: 'webhook.secret_rotated', entityType: 'webhook', entityId: id });
    return { ...present(row), secret };
  });
}
