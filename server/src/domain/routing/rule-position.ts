import type { Db } from '../../storage/db';

/** Where a new rule goes when no position is given: after the last one, in steps of 10 (room to insert). */
export async function nextRulePosition(trx: Db, table: 'routing_rules' | 'automation_rules'): Promise<number> {
  const last = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('p'))
    .executeTakeFirst();
  return (last?.p ?? -10) + 10;
}
