import { sql } from 'kysely';
import { daysBefore, type JobDefinition } from './job';

/**
 * A widget visitor who opened the widget and never started a conversation leaves a visitor token and an
 * anonymous contact behind. Past the retention both go; a contact that has a conversation, another
 * identity (email, phone, external id) or anything typed about it (name, attributes) is kept.
 */
export const pruneAbandonedVisitors = (retentionDays: number): JobDefinition => ({
  name: 'prune-abandoned-visitors',
  schedule: '37 3 * * *',
  description: `Deletes widget visitors unseen for ${retentionDays} days who never started a conversation`,
  async run({ db, now }) {
    const cutoff = daysBefore(now, retentionDays);
    return db.transaction().execute(async (trx) => {
      const visitors = await trx
        .deleteFrom('visitors')
        .where('last_seen_at', '<', cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('conversations')
                .select(sql`1`.as('one'))
                .whereRef('conversations.contact_id', '=', 'visitors.contact_id'),
            ),
          ),
        )
        .returning('contact_id')
        .execute();
      const contactIds = [...new Set(visitors.map((v) => v.contact_id))];
      let contacts = 0;
      if (contactIds.length) {
        const r = await trx
          .deleteFrom('contacts')
          .where('id', 'in', contactIds)
          .where('email', 'is', null)
          .where('phone', 'is', null)
          .where('external_id', 'is', null)
          .where('name', 'is', null)
          .where(sql<boolean>`attributes = '{}'::jsonb`)
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('visitors').select(sql`1`.as('one')).whereRef('visitors.contact_id', '=', 'contacts.id'))),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('conversations').select(sql`1`.as('one')).whereRef('conversations.contact_id', '=', 'contacts.id'),
              ),
            ),
          )
          .executeTakeFirst();
        contacts = Number(r.numDeletedRows);
      }
      return { visitors: visitors.length, contacts };
    });
  },
});
