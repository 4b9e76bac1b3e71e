import { sql } from 'kysely';
import type { Db } from './db';

/** Optional Postgres extensions the knowledge base uses; each missing one turns one feature off, not the app. */
export interface DbCapabilities {
  /** Accent-insensitive search configurations. */
  unaccent: boolean;
  /** Typo tolerance and gap grouping. */
  trgm: boolean;
  /** pgvector: hybrid retrieval when an embeddings endpoint is configured. */
  vector: boolean;
}

export async function detectCapabilities(db: Db): Promise<DbCapabilities> {
  const rows = await sql<{ extname: string }>`SELECT extname FROM pg_extension`.execute(db);
  const names = new Set(rows.rows.map((r) => r.extname));
  // The embeddings table is created with the extension (0006); both must be there.
  const table = await sql<{ t: string | null }>`SELECT to_regclass('kb_embeddings')::text AS t`.execute(db);
  // Likewise the typo lookup (0024): an extension installed after the migrations ran has no function yet.
  const typo = await sql<{ f: string | null }>`
    SELECT to_regprocedure('kb_typo_candidates(text[], float8, int)')::text AS f`.execute(db);
  return {
    unaccent: names.has('unaccent'),
    trgm: names.has('pg_trgm') && Boolean(typo.rows[0]?.f),
    vector: names.has('vector') && Boolean(table.rows[0]?.t),
  };
}

/** What the log says at start about features left out. */
export function describeMissing(caps: DbCapabilities): string[] {
  const out: string[] = [];
  if (!caps.unaccent) out.push('unaccent is not installed: knowledge-base search is accent-sensitive');
  if (!caps.trgm) out.push('pg_trgm is not installed: knowledge-base search does not correct typos');
  if (!caps.vector)
    out.push('pgvector is not installed: knowledge-base search uses full text only, even with embeddings configured');
  return out;
}
