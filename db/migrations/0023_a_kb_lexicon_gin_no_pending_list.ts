import { type Kysely, sql } from 'kysely';

// The lexicon's trigram index (typo fallback) without GIN's pending list. Words come in unsorted in that
// list until a vacuum merges it; every search then scanned it (2,900 words: 1 ms a lookup), and its
// presence made the planner pick the trigram index for the lexicon's equality lookups over the primary
// key (13 ms of every search after a bulk import, 4 ms once merged). The lexicon changes only when
// articles are saved, so writing straight into the index costs nothing that matters.
// Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  // The index exists only where pg_trgm does (0006).
  await sql`DO $$ BEGIN
    IF to_regclass('kb_lexicon_trgm') IS NOT NULL THEN
      ALTER INDEX kb_lexicon_trgm SET (fastupdate = off);
      PERFORM gin_clean_pending_list('kb_lexicon_trgm');
    END IF;
  END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DO $$ BEGIN
    IF to_regclass('kb_lexicon_trgm') IS NOT NULL THEN ALTER INDEX kb_lexicon_trgm RESET (fastupdate); END IF;
  END $$`.execute(db);
}
