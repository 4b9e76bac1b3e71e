import type { Actor } from '../../domain/actor';
import { recordAudit } from '../../domain/audit/record-audit';
import type { Db } from '../../storage/db';

/** An agent's own signature under their email replies (the inbox's signature covers agents without one). */
export async function getAgentSignature(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('email_agent_signatures').select('signature').where('user_id', '=', userId).executeTakeFirst();
  return row?.signature ?? null;
}

export async function setAgentSignature(
  db: Db,
  actor: Extract<Actor, { kind: 'user' }>,
  signature: string | null,
): Promise<string | null> {
  const next = signature?.trim() || null;
  return db.transaction().execute(async (trx) => {
    const before = await getAgentSignature(trx, actor.id);
    if (next === null) await trx.deleteFrom('email_agent_signatures').where('user_id', '=', actor.id).execute();
    else {
      await trx
        .insertInto('email_agent_signatures')
        .values({ user_id: actor.id, signature: next })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ signature: next, updated_at: new Date() }))
        .execute();
    }
    await recordAudit(trx, {
      actor,
      action: 'user.email_signature_updated',
      entityType: 'user',
      entityId: actor.id,
      before: { signature: before },
      after: { signature: next },
    });
    return next;
  });
}
