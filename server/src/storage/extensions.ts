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
  // The embeddings table (0006) and the typo lookup (0024) are created with their extensions: both must
  // be there (an extension installed after the migrations ran has neither yet).
  const made = await sql<{ embeddings: string | null; typo: string | null }>`
    SELECT to_regclass('kb_embeddings')::text AS embeddings,
      to_regprocedure('kb_typo_candidates(text[], float8, int)')::text AS typo`.execute(db);
  return {
    unaccent: names.has('unaccent'),
    trgm: names.has('pg_trgm') && Boolean(made.rows[0]?.typo),
    vector: names.has('vector') && Boolean(made.rows[0]?.embeddings),
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
