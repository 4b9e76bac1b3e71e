import { AppError, type SavedView, type SavedViewCreate, SavedViewFilters } from '@autocrm/shared';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';

// The wire schemas live in shared/ (one contract for server and front-ends); re-exported for the routes.
export { SavedView, SavedViewCreate, SavedViewFilters } from '@autocrm/shared';

const views = (db: Db) => db;

const present = (r: { id: string; owner_id: string | null; name: string; filters: unknown; created_at: Date }): SavedView => ({
  id: r.id,
  name: r.name,
  shared: r.owner_id === null,
  ownerId: r.owner_id,
  filters: SavedViewFilters.parse(typeof r.filters === 'string' ? JSON.parse(r.filters) : r.filters),
  createdAt: new Date(r.created_at).toISOString(),
});

const ownerOf = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

/** Shared views and the caller's own, shared first, then by name. */
export async function listSavedViews(db: Db, actor: Actor): Promise<SavedView[]> {
  const me = ownerOf(actor);
  const rows = await views(db)
    .selectFrom('saved_views')
    .selectAll()
    .where((eb) => (me ? eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', me)]) : eb('owner_id', 'is', null)))
    .orderBy('name')
    .execute();
  return rows.map(present).sort((a, b) => Number(b.shared) - Number(a.shared) || a.name.localeCompare(b.name));
}

export type CreateSavedViewProps = { actor: Actor; input: z.infer<typeof SavedViewCreate> };

export async function createSavedView(db: Db, { actor, input }: CreateSavedViewProps): Promise<SavedView> {
  const me = ownerOf(actor);
  // A view without an owner is shared; API keys have no "own" views.
  const owner = input.shared || !me ? null : me;
  const row = await views(db)
    .insertInto('saved_views')
    .values({ owner_id: owner, name: input.name, filters: JSON.stringify(input.filters) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export type DeleteSavedViewProps = { actor: Actor; id: string };

/** Your own views are yours to delete; shared ones need a supervisor, an admin or an admin key. */
export async function deleteSavedView(db: Db, { actor, id }: DeleteSavedViewProps): Promise<void> {
  const row = await views(db).selectFrom('saved_views').selectAll().where('id', '=', id).executeTakeFirst();
  const me = ownerOf(actor);
  if (!row || (row.owner_id !== null && row.owner_id !== me)) throw new AppError('not_found', 'saved view not found');
  if (row.owner_id === null) {
    const allowed = actor.kind === 'user' ? actor.role !== 'agent' : actor.kind === 'api_key' && actor.scopes.includes('admin');
    if (!allowed) throw new AppError('forbidden', 'only supervisors and admins can delete shared views');
  }
  await views(db).deleteFrom('saved_views').where('id', '=', id).execute();
}
