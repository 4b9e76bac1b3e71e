import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { publishedLocales } from '../server/src/domain/kb/published-locales';
import { questionLookupsQuery } from '../server/src/domain/kb/query-terms';
import { searchKb } from '../server/src/domain/kb/search';
import { searchConfigFor } from '../server/src/domain/kb/search-language';
import { warmKbSearch } from '../server/src/domain/kb/warm-search';
import { loadSampleKb } from '../server/src/seed/seed-demo-kb';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';
import { detectCapabilities } from '../server/src/storage/extensions';
import { freshPostgresDatabase } from './helpers/test-server';

const baseUrl = process.env.DATABASE_URL;

// What keeps the knowledge-base search fast on a database the server just opened: the lexicon's
// trigram index writes straight into the index (no pending list to scan on every search, nor one that
// turns the planner away from the primary key), and on Postgres each pooled connection's first search
// (dictionaries and catalog entries loaded: 50-65 ms against 7-10 ms) happens at start-up; typo
// corrections come from the trigram index in one statement for all of a question's unknown words.
describe('knowledge-base search on a freshly opened database', () => {
  let handle: DatabaseHandle;
  let fresh: { url: string; drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    fresh = baseUrl ? await freshPostgresDatabase(baseUrl) : undefined;
    handle = await openDatabase({ databaseUrl: fresh?.url, dataDir: 'memory://', poolSize: 3 });
    await migrateToLatest(handle.db);
    await loadSampleKb(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  it('keeps no GIN pending list on the lexicon trigram index', async () => {
    const r = await sql<{ options: string[] | null }>`
      SELECT reloptions AS options FROM pg_class WHERE relname = 'kb_lexicon_trgm'`.execute(handle.db);
    const caps = await detectCapabilities(handle.db);
    if (!caps.trgm) return expect(r.rows).toEqual([]);
    expect(r.rows[0]?.options).toContain('fastupdate=off');
  });

  it('looks up typo corrections for all unknown words at once, always through the trigram index', async () => {
    const caps = await detectCapabilities(handle.db);
    expect(caps.trgm).toBe(true);
    // Inline, the planner scanned the whole lexicon below some tens of thousands of words (it prices
    // similarity() as cheap): 3 ms a word against 0.09 ms through the index.
    const fn = await sql<{ config: string[] | null }>`
      SELECT proconfig AS config FROM pg_proc WHERE proname = 'kb_typo_candidates'`.execute(handle.db);
    expect(fn.rows[0]?.config).toContain('enable_seqscan=off');
    const r = await sql<{ query_word: string; lexicon_word: string; score: number }>`
      SELECT * FROM kb_typo_candidates(${['invoise', 'pasword', 'zzzzqq']}::text[], 0.4, 5)`.execute(handle.db);
    const byWord = (w: string) => r.rows.filter((x) => x.query_word === w);
    expect(byWord('invoise')[0]?.lexicon_word).toBe('invoice');
    expect(byWord('pasword')[0]?.lexicon_word).toBe('password');
    expect(byWord('zzzzqq')).toEqual([]);
    // Best first within each word, none below the threshold.
    for (const w of ['invoise', 'pasword']) {
      const scores = byWord(w).map((x) => x.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.4);
    }
  });

  it.skipIf(!baseUrl)('searches once on each of the warmed connections, in every search language (needs Postgres)', async () => {
    const caps = await detectCapabilities(handle.db);
    const locales = await publishedLocales(handle.db);
    expect(locales.length).toBeGreaterThan(1);
    await warmKbSearch({ db: handle.db, caps, defaultLocale: 'en' }, { connections: 3, locales });
    // Seen from outside the pool: three backends, each of which last ran the search statement.
    const outside = new pg.Client({ connectionString: fresh?.url });
    await outside.connect();
    try {
      const r = await outside.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%kb_corpus_stats%'`,
      );
      expect(r.rows[0]?.n).toBe(3);
    } finally {
      await outside.end();
    }
  });
  it('tells known from unknown words by primary-key lookups, even before the tables are analysed', async () => {
    // The join it replaced read the language's whole vocabulary for every word (1 ms a word on the
    // sample, more on a big knowledge base) when the planner had no statistics yet.
    const caps = await detectCapabilities(handle.db);
    const cfg = searchConfigFor('en');
    const words = ['password', 'invoise', 'the', 'reset'];
    const query = questionLookupsQuery({
      cfg,
      tokens: words,
      joined: ['passwordreset', 'email'],
      synonymLocales: ['en'],
      synonymWords: words,
      typos: caps.trgm,
    });
    const r = await query.execute(handle.db);
    const known = r.rows.filter((x) => x.kind === 'known');
    expect(Object.fromEntries(known.map((x) => [x.word, x.known]))).toEqual({
      password: true,
      invoise: false,
      the: true,
      reset: true,
    });
    // The same statement answers the lexicon's joined words and the unknown word's typo candidates, best first.
    expect(r.rows.filter((x) => x.kind === 'joined').map((x) => x.word)).toEqual(['email']);
    const typos = r.rows.filter((x) => x.kind === 'typo').sort((a, b) => Number(a.n) - Number(b.n));
    if (caps.trgm) {
      expect(new Set(typos.map((x) => x.word))).toEqual(new Set(['invoise']));
      expect(typos[0]?.forms).toEqual(['invoice']);
    }
    const plan = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) ${query}`.execute(handle.db);
    const scans: { cond?: string }[] = [];
    const walk = (n: Record<string, unknown>) => {
      if (n['Relation Name'] === 'kb_term_stats') scans.push({ cond: n['Index Cond'] as string | undefined });
      for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
    };
    const root = plan.rows[0]?.['QUERY PLAN'];
    walk(((typeof root === 'string' ? JSON.parse(root) : root) as { Plan: Record<string, unknown> }[])[0]?.Plan ?? {});
    expect(scans.length).toBeGreaterThan(0);
    for (const s of scans) expect(s.cond).toMatch(/lexeme = /);
  });

  it('ranks the same without snippets (the bot asks for none), and leaves them empty', async () => {
    const caps = await detectCapabilities(handle.db);
    const ctx = { db: handle.db, caps, defaultLocale: 'en' };
    for (const q of ['how do I reset my password', 'export chat transcripts', 'invoice address change']) {
      const withSnippets = await searchKb(ctx, { q, locale: 'en', limit: 4 });
      const without = await searchKb(ctx, { q, locale: 'en', limit: 4, snippets: false });
      expect(withSnippets.hits.length).toBeGreaterThan(0);
      expect(withSnippets.hits.some((h) => h.snippet.includes('<mark>'))).toBe(true);
      expect(without.hits.map((h) => [h.articleId, h.score, h.relevance])).toEqual(
        withSnippets.hits.map((h) => [h.articleId, h.score, h.relevance]),
      );
      expect(without.hits.every((h) => h.snippet === '')).toBe(true);
    }
  });
});
