import { sql } from 'kysely';
import { bootstrapWorkspace } from '../../server/src/bootstrap';
import type { Db } from '../../server/src/storage/db';

const MESSAGES_PER_CONVERSATION = 10;

/**
 * Two API inboxes written in bulk with SQL (for prepare(db)): a big one with `conversations`
 * conversations and a small one with `small`, each conversation with ten messages (last_seq matches),
 * spread over a year of timestamps, the four statuses, the four priorities, and a third of them waiting
 * on an agent. Contacts are shared (one per ten conversations).
 */
export async function seedBigInbox(
  db: Db,
  props: { conversations: number; small: number },
): Promise<{ big: string; small: string }> {
  await bootstrapWorkspace(db); // the default statuses
  const inbox = async (name: string) =>
    (await db.insertInto('inboxes').values({ name, channel: 'api', settings: '{}' }).returning('id').executeTakeFirstOrThrow())
      .id;
  const big = await inbox('Big inbox');
  const small = await inbox('Small inbox');
  const contacts = Math.max(1, Math.ceil((props.conversations + props.small) / 10));
  await sql`insert into contacts (name) select 'Contact ' || g from generate_series(1, ${contacts}) g`.execute(db);
  for (const [inboxId, n] of [
    [big, props.conversations],
    [small, props.small],
  ] as const) {
    // One statement per inbox: statuses and contacts are picked by the row number, times by random().
    await sql`
      with s as (select array_agg(id order by position) ids, array_agg(category order by position) cats from statuses),
      c as (select array_agg(id) ids from contacts),
      g as (select g, now() - random() * interval '365 days' created from generate_series(1, ${n}) g)
      insert into conversations (subject, inbox_id, contact_id, status_id, status_category, priority, last_seq,
        created_at, updated_at, last_activity_at, waiting_since)
      select 'Conversation ' || g.g, ${inboxId}, c.ids[1 + g.g % array_length(c.ids, 1)],
        s.ids[1 + g.g % 4], s.cats[1 + g.g % 4], (array['low','normal','high','urgent'])[1 + (g.g / 4) % 4],
        ${MESSAGES_PER_CONVERSATION}, g.created, g.created + interval '1 hour', g.created + random() * interval '2 days',
        case when g.g % 3 = 0 then g.created + interval '10 minutes' end
      from g, s, c
    `.execute(db);
  }
  await sql`
    insert into messages (conversation_id, seq, author_kind, author_id, body_html, body_text, attachments, created_at)
    select c.id, m, case when m % 2 = 1 then 'contact' else 'agent' end, case when m % 2 = 1 then c.contact_id end,
      '<p>Message ' || m || ' about order ' || c.number || ', with a few more words to look like a real reply.</p>',
      'Message ' || m || ' about order ' || c.number || ', with a few more words to look like a real reply.',
      '[]', c.created_at + m * interval '1 minute'
    from conversations c, generate_series(1, ${MESSAGES_PER_CONVERSATION}) m
  `.execute(db);
  await sql`analyze`.execute(db);
  return { big, small };
}
