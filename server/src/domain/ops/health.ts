import { sql } from 'kysely';
import type { Db } from '../../storage/db';

/** Resolves when the database answers a trivial query (readiness); rejects when it does not. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Work waiting to be done, for the metrics gauges: undispatched outbox events, pending webhook deliveries. */
export async function pendingWork(db: Db): Promise<{ outbox: number; webhooks: number }> {
  const [outbox, hooks] = await Promise.all([
    db.selectFrom('outbox').select(sql<number>`count(*)::int`.as('n')).where('dispatched_at', 'is', null).executeTakeFirst(),
    db
      .selectFrom('webhook_deliveries')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirst(),
  ]);
  return { outbox: outbox?.n ?? 0, webhooks: hooks?.n ?? 0 };
}
