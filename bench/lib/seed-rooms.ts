import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { bootstrapWorkspace } from '../../server/src/bootstrap';
import { hashToken, newToken } from '../../server/src/domain/auth/tokens';
import type { Db } from '../../server/src/storage/db';

export interface SeededRooms {
  inboxId: string;
  websiteToken: string;
  visitorTokens: string[];
  /** Room i belongs to visitor i % visitorTokens.length. */
  conversationIds: string[];
}

/**
 * Widget rooms written straight into the database before the server starts (for prepare(db)): a web
 * inbox with the bot off, `visitors` visitors, and `rooms` open conversations holding the visitor's
 * first message (seq 1). Opening 10,000 conversations over the socket takes minutes on two cores; these
 * also never pass through routing (it learns of conversations from events), so no queue builds up.
 */
export async function seedWidgetRooms(db: Db, props: { rooms: number; visitors: number }): Promise<SeededRooms> {
  await bootstrapWorkspace(db); // the default statuses
  const websiteToken = newToken('wt_');
  const inbox = await db
    .insertInto('inboxes')
    .values({
      name: 'Seeded widget',
      channel: 'web',
      website_token: websiteToken,
      settings: JSON.stringify({ widget: { bot: { enabled: false } } }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const visitorTokens = Array.from({ length: props.visitors }, () => newToken('vt_'));
  const contactIds = visitorTokens.map(() => randomUUID());
  await sql`
    insert into contacts (id, name)
    select id, 'Visitor ' || (n - 1) from unnest(${contactIds}::uuid[]) with ordinality as c(id, n)
  `.execute(db);
  await sql`
    insert into visitors (inbox_id, contact_id, token_hash)
    select ${inbox.id}, v.contact_id, v.hash
    from unnest(${contactIds}::uuid[], ${visitorTokens.map(hashToken)}::text[]) as v(contact_id, hash)
  `.execute(db);
  const conversationIds = Array.from({ length: props.rooms }, () => randomUUID());
  await sql`
    insert into conversations (id, subject, inbox_id, contact_id, status_id, status_category, last_seq)
    select r.id, 'Room ' || (r.n - 1), ${inbox.id}, (${contactIds}::uuid[])[((r.n - 1) % ${props.visitors}) + 1],
      s.id, s.category, 1
    from unnest(${conversationIds}::uuid[]) with ordinality as r(id, n)
    cross join (select id, category from statuses where is_default) s
  `.execute(db);
  await sql`
    insert into messages (conversation_id, seq, author_kind, author_id, body_html, body_text, attachments)
    select c.id, 1, 'contact', c.contact_id, '<p>hello</p>', 'hello', '[]'
    from conversations c where c.inbox_id = ${inbox.id}
  `.execute(db);
  return { inboxId: inbox.id, websiteToken, visitorTokens, conversationIds };
}
