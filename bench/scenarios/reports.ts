import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate';
import { reportAgents } from '../../server/src/domain/reports/agents';
import { reportHeatmap } from '../../server/src/domain/reports/heatmap';
import { reportKnowledge } from '../../server/src/domain/reports/knowledge';
import { reportMacros } from '../../server/src/domain/reports/macros';
import { reportOverview } from '../../server/src/domain/reports/overview';
import { rebuildReportRollups } from '../../server/src/domain/reports/rollups';
import { reportService } from '../../server/src/domain/reports/service';
import { reportTimeseries } from '../../server/src/domain/reports/timeseries';
import { openDatabase } from '../../server/src/storage/db';
import { freshPostgresDatabase } from '../../tests/helpers/test-server';
import { type Row, ratio, round1 } from '../lib/rows';
import { quick } from '../lib/run-options';
import { seedPresenceAndViews, seedReportHistory } from '../lib/seed-report-history';
import { percentile } from '../lib/stats';

/**
 * Reports at scale: a 90-day history (quick: 500 conversations; full: 100,000 conversations and
 * 1,000,000 messages), rollups built from it, then the 90-day overview (and the per-day chart, and one
 * agent's overview) timed from the rollups against the same figures computed with the raw aggregate
 * queries. In this process against the database directly: the figure is the report's query time.
 */
export async function reports(): Promise<Row[]> {
  const conversations = quick ? 500 : 100_000;
  const messagesEach = quick ? 3 : 10;
  const runs = quick ? 5 : 40;
  const rawRuns = quick ? 2 : 20;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-bench-reports-'));
  const fresh = process.env.DATABASE_URL ? await freshPostgresDatabase(process.env.DATABASE_URL) : undefined;
  // Seeding a million rows takes longer than the server's 15 s statement limit.
  const handle = await openDatabase({
    databaseUrl: fresh?.url,
    dataDir,
    timeouts: { statementMs: 1_200_000, idleInTransactionMs: 1_200_000 },
  });
  try {
    const db = handle.db;
    await migrateToLatest(db);
    let t = Date.now();
    await seedReportHistory(db, { conversations, messagesEach, days: 90 });
    const extra = await seedPresenceAndViews(db, { days: 90, changesPerDay: quick ? 4 : 150, articles: quick ? 5 : 150 });
    const seedMs = Date.now() - t;
    t = Date.now();
    const built = await rebuildReportRollups(db);
    const rebuildMs = Date.now() - t;
    // As autovacuum would have by then: statistics, and the visibility map that lets index-only scans skip the heap.
    await sql`vacuum analyze`.execute(db);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    const actor = { kind: 'user', id: '00000000-0000-0000-0000-000000000000', role: 'admin' } as const;
    const agent = await db.selectFrom('users').select('id').where('email', '=', 'agent1@bench.dev').executeTakeFirstOrThrow();
    const time = async (n: number, f: () => Promise<unknown>) => {
      await f(); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const s0 = performance.now();
        await f();
        ms.push(performance.now() - s0);
      }
      return { p50: round1(percentile(ms, 50)), p95: round1(percentile(ms, 95)) };
    };
    type Source = 'auto' | 'raw';
    const q = (filters: Record<string, string> = {}) => ({ from, to, ...filters });
    const as = actor as never;
    // Each page of the Reports tab as the API computes it; a raw baseline where the report has one.
    const cases: [string, (source: Source) => Promise<unknown>, boolean][] = [
      ['90-day overview (with previous period)', (source) => reportOverview(db, { actor: as, query: q(), source }), true],
      ['90-day overview, one agent', (source) => reportOverview(db, { actor: as, query: q({ agent: agent.id }), source }), true],
      ['90-day per-day chart', (source) => reportTimeseries(db, { actor: as, query: q(), source }), true],
      ['90-day agents (with time online/away)', (source) => reportAgents(db, { actor: as, query: q(), source }), true],
      ['90-day busiest hours', (source) => reportHeatmap(db, { actor: as, query: q(), source }), true],
      ['90-day service levels', () => reportService(db, { actor: as, query: q() }), false],
      ['90-day bot and knowledge base (with article views)', () => reportKnowledge(db, { actor: as, query: q() }), false],
      ['90-day macros', () => reportMacros(db, { actor: as, query: q() }), false],
    ];
    const rows: Row[] = [];
    for (const [label, call, hasRaw] of cases) {
      const ours = await time(runs, () => call('auto'));
      const raw = hasRaw ? await time(rawRuns, () => call('raw')) : null;
      rows.push({
        scenario: 'reports',
        metric: `${label} p95`,
        ours: ours.p95,
        baseline: raw?.p95 ?? null,
        baselineName: raw ? 'raw aggregate' : '–',
        ratio: raw ? ratio(ours.p95, raw.p95) : null,
        unit: `ms (p50 ${ours.p50}${raw ? ` vs ${raw.p50}` : ''}; goal ≤ 100 ms on Postgres)`,
      });
    }
    rows.push({
      scenario: 'reports',
      metric: 'rollup rebuild from raw',
      ours: rebuildMs,
      baseline: null,
      baselineName: '–',
      ratio: null,
      unit: `ms (${built.conversations} conversations, ${conversations * messagesEach} messages, ${built.rows} rollup rows, ${extra.intervals} presence intervals, ${extra.viewRows} hourly article-view rows; seeding took ${seedMs} ms)`,
    });
    return rows;
  } finally {
    await handle.close();
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
