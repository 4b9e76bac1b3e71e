/**
 * Raw SQL limit for the message path: the same row writes a stored message makes (conversation seq
 * bump, message row, outbox event) issued straight through the database client with the same pool
 * size, one statement per message, as fast as `concurrency` callers can go.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate';
import { openDatabase } from '../../server/src/storage/db';
import { percentile, round } from '../lib/stats';

const args = JSON.parse(process.argv[2] ?? '{}') as { databaseUrl?: string; rooms: number; seconds: number; concurrency: number };
const handle = await openDatabase({ databaseUrl: args.databaseUrl, dataDir: 'memory://', poolSize: 10 });
const { db } = handle;
await migrateToLatest(db);
const status = await db
  .insertInto('statuses')
  .values({ name: `bench-${Date.now()}`, category: 'open' })
  .returning('id')
  .executeTakeFirstOrThrow();
const inbox = await db
  .insertInto('inboxes')
  .values({ name: 'bench', channel: 'api', website_token: null, settings: '{}' })
  .returning('id')
  .executeTakeFirstOrThrow();
const contact = await db
  .insertInto('contacts')
  .values({ name: 'b', email: null, phone: null, external_id: null, attributes: '{}' })
  .returning('id')
  .executeTakeFirstOrThrow();
const ids: string[] = [];
for (let i = 0; i < args.rooms; i++) {
  const c = await db
    .insertInto('conversations')
    .values({
      inbox_id: inbox.id,
      contact_id: contact.id,
      status_id: status.id,
      status_category: 'open',
      priority: 'normal',
      custom_fields: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.push(c.id);
}
let n = 0;
const latencies: number[] = [];
const deadline = performance.now() + args.seconds * 1000;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: args.concurrency }, async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const started = performance.now();
      await sql`
        with c as (
          update conversations set last_seq = last_seq + 1, last_activity_at = now(), updated_at = now()
          where id = ${ids[i % ids.length]} returning id, last_seq
        ), m as (
          insert into messages (conversation_id, seq, author_kind, body_html, body_text, client_id)
          select id, last_seq, 'contact', ${`message ${i}`}, ${`message ${i}`}, ${`raw-${i}`} from c
          returning id, conversation_id, seq
        )
        insert into outbox (type, payload) select 'message.created', json_build_object('id', id, 'seq', seq) from m
      `.execute(db);
      latencies.push(performance.now() - started);
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
await handle.close();
console.log(
  JSON.stringify({
    writesPerSecond: round(latencies.length / elapsed, 0),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
  }),
);
process.exit(0);
