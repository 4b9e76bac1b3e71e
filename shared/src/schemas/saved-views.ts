import { z } from 'zod';
import { QUEUE_PRIORITIES, QUEUE_SORTS, QUEUE_STATES } from '../enum-values';

// Saved queue views on the wire. The queue page's quick filters (web/src/lib/queue.ts) speak the same
// states, priorities and sorts (enum-values.ts), so neither writes the lists again.

/** Filters of a saved queue view: the same knobs as the queue's view and quick filters. */
export const SavedViewFilters = z
  .strictObject({
    view: z.string().regex(/^(mine|unassigned|all|team:[0-9a-f-]{36})$/, 'mine, unassigned, all or team:<id>'),
    state: z.enum(QUEUE_STATES).default('open'),
    priority: z.enum(QUEUE_PRIORITIES).default('any'),
    sort: z.enum(QUEUE_SORTS).default('activity'),
    q: z.string().trim().max(200).default(''),
    tag: z.string().trim().toLowerCase().max(60).optional(),
    inbox: z.uuid().optional(),
  })
  .meta({ id: 'SavedViewFilters' });

export const SavedViewCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    shared: z.boolean().default(false).meta({ description: 'Shared with the whole workspace, or only yours' }),
    filters: SavedViewFilters,
  })
  .meta({ id: 'SavedViewCreate' });

export const SavedView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    shared: z.boolean(),
    ownerId: z.uuid().nullable(),
    filters: SavedViewFilters,
    createdAt: z.string(),
  })
  .meta({ id: 'SavedView' });
export type SavedView = z.infer<typeof SavedView>;
