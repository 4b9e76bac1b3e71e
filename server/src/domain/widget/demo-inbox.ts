import type { Db } from '../../storage/db';

/**
 * The web inbox the demo page shows: the seeded "Website chat", else the oldest web inbox. Read on each
 * request, since a fresh start creates it after the server is up.
 */
export async function demoWebInbox(db: Db) {
  return (
    (await db
      .selectFrom('inboxes')
      .select(['website_token', 'name'])
      .where('channel', '=', 'web')
      .where('name', '=', 'Website chat')
      .executeTakeFirst()) ??
    (await db
      .selectFrom('inboxes')
      .select(['website_token', 'name'])
      .where('channel', '=', 'web')
      .orderBy('created_at')
      .executeTakeFirst())
  );
}
