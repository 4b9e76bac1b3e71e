import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { decodeCursor, encodeCursor } from '../pagination';

export async function listAudit(
  db: Db,
  props: { entityType?: string | undefined; entityId?: string | undefined; limit: number; cursor?: string | undefined },
) {
  let q = db.selectFrom('audit_log').selectAll();
  if (props.entityType) q = q.where('entity_type', '=', props.entityType);
  if (props.entityId) q = q.where('entity_id', '=', props.entityId);
  if (props.cursor) {
    const [id] = decodeCursor(props.cursor, 1);
    if (typeof id !== 'number' || !Number.isInteger(id))
      throw new AppError('invalid_cursor', 'cursor: not a cursor returned by this list');
    q = q.where('id', '<', id);
  }
  const rows = await q
    .orderBy('id', 'desc')
    .limit(props.limit + 1)
    .execute();
  const page = rows.slice(0, props.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      at: r.at.toISOString(),
    })),
    nextCursor: rows.length > props.limit && last ? encodeCursor([Number(last.id)]) : null,
  };
}
