/**
 * Baseline for ticket creation: a bare Hono handler that does the same conversation insert with Kysely,
 * with no auth, validation, events, audit or presentation.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { migrateToLatest } from '../../db/migrate';
import { openDatabase } from '../../server/src/storage/db';

const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? 'memory://' });
const { db } = handle;
await migrateToLatest(db);
// On Postgres this shares the hub's database, which already has its default status.
const status =
  (await db.selectFrom('statuses').select('id').where('is_default', '=', true).executeTakeFirst()) ??
  (await db
    .insertInto('statuses')
    .values({ name: 'open', category: 'open', is_default: true })
    .returning('id')
    .executeTakeFirstOrThrow());
const app = new Hono();
app.post('/conversations', async (c) => {
  const body = (await c.req.json()) as { inboxId: string; contactId: string; subject: string };
  const row = await db
    .insertInto('conversations')
    .values({
      inbox_id: body.inboxId,
      contact_id: body.contactId,
      subject: body.subject,
      status_id: status.id,
      status_category: 'open',
      priority: 'normal',
      custom_fields: '{}',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return c.json(row, 201);
});
app.post('/setup', async (c) => {
  const inbox = await db
    .insertInto('inboxes')
    .values({ name: 'x', channel: 'api', website_token: null, settings: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto('contacts')
    .values({ name: 'x', email: null, phone: null, external_id: null, attributes: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return c.json({ inboxId: inbox.id, contactId: contact.id });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  console.log(`bare hono listening on ${info.port}`),
);
process.on('SIGTERM', () => server.close(() => handle.close().then(() => process.exit(0))));
