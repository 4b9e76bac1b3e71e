import type { AgentStats, ReportAgents, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { agentWork } from './agent-work';
import { histogramStats } from './duration-histogram';
import { type DurationRow, presentDurations, rawHistograms } from './durations';
import { presenceSeconds } from './presence-time';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';
import { histogramFromRollups, mayReadRollups, type ReportSource, rollupSpanRows, rollupsFit, rollupTarget } from './rollup-read';

/**
 * Per agent (the conversation's assignee): conversations assigned and created in the period, resolved
 * in the period, public replies written in the period, first-response and resolution times, CSAT
 * (ratings given in the period, like the overview's), handle time, and time online/away/offline
 * (presence-time.ts; open intervals count up to `now`, routing's clock).
 * Every active user is listed (zeros included) so an idle agent shows as idle, not as missing.
 */
export async function reportAgents(
  db: Db,
  props: { actor: Actor; query: ReportQuery; source?: ReportSource; now?: Date },
): Promise<ReportAgents> {
  const { query, window } = await reportContext(db, props);
  const { start, end } = window;
  const where = conversationFilter(query);
  const users = await db
    .selectFrom('users')
    .select(['id', 'name', 'display_name'])
    .where('active', '=', true)
    .$if(Boolean(query.agent), (q) => q.where('id', '=', query.agent as string))
    .orderBy('name')
    .execute();
  const target = rollupTarget(query);
  const fromRollups =
    target && (target.dim === 'agent' || target.dim === 'all') && rollupsFit(window) && (await mayReadRollups(db, props.source));
  let assigned: { id: string; n: number; csat_n: number; csat_avg: number | null }[];
  let frt: (DurationRow & { id: string })[];
  let resolution: (DurationRow & { id: string })[];
  if (fromRollups) {
    const { rows } = await sql<{ id: string; metric: string; n: number; total: number }>`
      select r.key as id, r.metric, sum(r.n)::float8 as n, sum(r.total)::float8 as total
      from (${rollupSpanRows({ dim: 'agent', key: query.agent, start, end })}) r
      where (r.metric in ('created', 'resolved', 'csat') or r.metric like 'frt\\_b:%' or r.metric like 'res\\_b:%')
      group by r.key, r.metric`.execute(db);
    const get = (id: string, metric: string) => rows.find((r) => r.id === id && r.metric === metric);
    const ids = [...new Set(rows.map((r) => r.id))];
    assigned = ids.map((id) => {
      const csat = get(id, 'csat');
      const csatN = Number(csat?.n ?? 0);
      return {
        id,
        n: Number(get(id, 'created')?.n ?? 0),
        csat_n: csatN,
        csat_avg: csatN ? Number(csat?.total) / csatN : null,
      };
    });
    // Medians and p90s from each agent's duration histogram rows (duration-histogram.ts).
    const histogram = (prefix: string) =>
      ids
        .map((id) => ({
          id,
          ...histogramFromRollups(
            rows.filter((r) => r.id === id),
            prefix,
          ),
        }))
        .filter((d) => d.n > 0);
    frt = histogram('frt_b');
    resolution = histogram('res_b');
  } else {
    const created = await sql<{ id: string; n: number }>`
      select c.assignee_id as id, count(*)::int as n
      from conversations c where ${where} and c.created_at >= ${start} and c.created_at < ${end} and c.assignee_id is not null
      group by c.assignee_id`.execute(db);
    const rated = await sql<{ id: string; n: number; avg: number | null }>`
      select c.assignee_id as id, count(*)::int as n, avg(c.csat_rating)::float8 as avg
      from conversations c where ${where} and c.csat_at >= ${start} and c.csat_at < ${end} and c.csat_rating is not null
        and c.assignee_id is not null
      group by c.assignee_id`.execute(db);
    const ids = [...new Set([...created.rows, ...rated.rows].map((r) => r.id))];
    assigned = ids.map((id) => {
      const c = rated.rows.find((r) => r.id === id);
      return { id, n: created.rows.find((r) => r.id === id)?.n ?? 0, csat_n: c?.n ?? 0, csat_avg: c?.avg ?? null };
    });
    const perAgent = (m: Map<string, DurationRow>) => [...m.entries()].map(([id, d]) => ({ id, ...d }));
    frt = perAgent(
      await rawHistograms(db, {
        interval: sql`(c.first_response_at - c.created_at)`,
        from: sql`conversations c where ${where} and c.created_at >= ${start} and c.created_at < ${end}
          and c.first_response_at is not null and c.assignee_id is not null`,
        groupBy: sql`c.assignee_id`,
      }),
    );
    resolution = perAgent(
      await rawHistograms(db, {
        interval: sql`(c.resolved_at - c.created_at)`,
        from: sql`conversations c where ${where} and c.resolved_at >= ${start} and c.resolved_at < ${end} and c.assignee_id is not null`,
        groupBy: sql`c.assignee_id`,
      }),
    );
  }
  const work = await agentWork(db, { window, filters: query, agent: query.agent, source: props.source });
  const presence = await presenceSeconds(db, {
    start,
    end,
    now: props.now ?? new Date(),
    agent: query.agent,
    source: props.source,
  });
  const by = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const [a, f, r] = [by(assigned), by(frt), by(resolution)];
  const data: AgentStats[] = users.map((u) => {
    const csatAvg = a.get(u.id)?.csat_avg;
    return {
      agentId: u.id,
      name: u.display_name ?? u.name,
      assigned: a.get(u.id)?.n ?? 0,
      resolved: r.get(u.id)?.n ?? 0,
      replies: work.replies.get(u.id) ?? 0,
      firstResponse: presentDurations(f.get(u.id)),
      resolution: presentDurations(r.get(u.id)),
      csatAverage: csatAvg === null || csatAvg === undefined ? null : Math.round(Number(csatAvg) * 100) / 100,
      csatResponses: a.get(u.id)?.csat_n ?? 0,
      handleTime: presentDurations(histogramStats(work.handle.get(u.id) ?? [])),
      presence: {
        onlineSeconds: presence.get(u.id)?.online ?? 0,
        awaySeconds: presence.get(u.id)?.away ?? 0,
        offlineSeconds: presence.get(u.id)?.offline ?? 0,
      },
    };
  });
  return { timeZone: window.timeZone, data };
}
