import { AppError, type Scope } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../../../../db/types';
import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { hasScope } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { hashToken, newToken } from './tokens';

const presentKey = (k: Selectable<ApiKeysTable>) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes as Scope[],
  createdAt: k.created_at.toISOString(),
  lastUsedAt: k.last_used_at ? k.last_used_at.toISOString() : null,
  revokedAt: k.revoked_at ? k.revoked_at.toISOString() : null,
});

export async function listApiKeys(db: Db) {
  return (await db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute()).map(presentKey);
}

export type CreateApiKeyProps = { actor: Actor; input: { name: string; scopes: Scope[] } };

/** The key itself is returned only here; the database keeps its hash. */
export async function createApiKey(db: Db, { actor, input }: CreateApiKeyProps) {
  // Nobody hands out more than they hold.
  const beyond = input.scopes.filter((s) => !hasScope(actor, s));
  if (beyond.length) throw new AppError('forbidden', `cannot grant scopes you do not have: ${beyond.join(', ')}`);
  const key = newToken('ak_');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_keys')
      .values({
        name: input.name,
        prefix: key.slice(0, 10),
        key_hash: hashToken(key),
        scopes: [...new Set(input.scopes)],
        created_by: actor.kind === 'user' ? actor.id : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'api_key.created', entityType: 'api_key', entityId: row.id, after: presentKey(row) });
    return { ...presentKey(row), key };
  });
}

export type RevokeApiKeyProps = { actor: Actor; id: string };

export async function revokeApiKey(db: Db, { actor, id }: RevokeApiKeyProps) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('api_keys').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'API key not found');
    const row = await trx
      .updateTable('api_keys')
      .set({ revoked_at: before.revoked_at ?? new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: id,
      before: presentKey(before),
      after: presentKey(row),
    });
    return presentKey(row);
  });
}

type KeyActor = Extract<Actor, { kind: 'api_key' }>;
/** Keys seen active in this process, by hash, with when this process last recorded their use. */
type KnownKeys = Map<string, { actor: KeyActor; usedAt: number }>;

/** Use is recorded at most this often per key and process (a write per request would cost more than the request). */
const RECORD_USE_EVERY_MS = 30_000;

/**
 * The actor for a presented key, or undefined when it is unknown or revoked (checked on every request).
 * An active key found once is kept in the config cache ('api-keys'), which every create and revoke drops
 * in every process (both are audited). A revoke also drops it with the access re-check every process
 * confirms before the revoke answers (server.ts), so from then on no process accepts the key; while Redis
 * is down the cache reads through. Unknown keys always go to the database, so a key made on another
 * process works at once, and random keys never fill the cache.
 */
export async function resolveApiKey(db: Db, key: string): Promise<KeyActor | undefined> {
  const hash = hashToken(key);
  const known = await cached<KnownKeys>(db, 'api-keys', async () => new Map());
  let entry = known.get(hash);
  if (!entry) {
    const row = await db
      .selectFrom('api_keys')
      .select(['id', 'scopes', 'revoked_at', 'last_used_at'])
      .where('key_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at) return undefined;
    entry = { actor: { kind: 'api_key', id: row.id, scopes: row.scopes as Scope[] }, usedAt: row.last_used_at?.getTime() ?? 0 };
    known.set(hash, entry);
  }
  if (Date.now() - entry.usedAt > RECORD_USE_EVERY_MS) {
    entry.usedAt = Date.now();
    await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', entry.actor.id).execute();
  }
  return entry.actor;
}

/** The actor of a key by its id, or undefined once it is revoked (live connections check it again). */
export async function resolveApiKeyById(db: Db, id: string): Promise<KeyActor | undefined> {
  const row = await db.selectFrom('api_keys').select(['id', 'scopes', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  if (!row || row.revoked_at) return undefined;
  return { kind: 'api_key', id: row.id, scopes: row.scopes as Scope[] };
}
