import type { ReportQuery, ReportService } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { loadCalendars } from '../routing/teams';
import { presentDurations } from './durations';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';
import type { ReportSource } from './rollup-read';
import { serviceDurations } from './service-durations';

const TARGETS = ['first_response', 'next_response', 'resolution'] as const;

/**
 * Service levels (README "Reports"): next-response time, first-response, next-response and resolution
 * times in business hours, SLA attainment and breaches, and CSAT comments. The durations come from the
 * rollups where they can (service-durations.ts); SLA figures and comments read the raw tables (by
 * index: breaches and comments are few).
 */
export async function reportService(
  db: Db,
  props: { actor: Actor; query: ReportQuery; source?: ReportSource },
): Promise<ReportService> {
  const { query, window } = await reportContext(db, props);
  const { start, end } = window;
  const where = conversationFilter(query);
  // Cached like routing's: every calendar write drops it at commit (record-audit's cache.stale).
  const calendars = await loadCalendars(db);
  const durations = await serviceDurations(db, { window, filters: query, source: props.source, calendars });
  const measured = await sql<{ target: string; measured: number; breached: number }>`
    select t.target, count(*)::int as measured,
      count(*) filter (where exists (select 1 from audit_log a where a.action = 'sla.breached'
        and a.entity_type = 'conversation' and a.entity_id = c.id::text and a.after->>'target' = t.target))::int as breached
    from conversations c
    join conversation_routing r on r.conversation_id = c.id
    join sla_policies p on p.id = r.sla_policy_id
    cross join lateral (values
      ('first_response', p.first_response_minutes),
      ('next_response', p.next_response_minutes),
      ('resolution', p.resolution_minutes)) t(target, minutes)
    where ${where} and c.created_at >= ${start} and c.created_at < ${end} and t.minutes is not null
    group by t.target`.execute(db);
  const breaches = await sql<{ target: string; n: number }>`
    select a.after->>'target' as target, count(*)::int as n from audit_log a
    join conversations c on a.entity_type = 'conversation' and a.entity_id = c.id::text
    where ${where} and a.action = 'sla.breached' and a.at >= ${start} and a.at < ${end}
    group by 1 order by 2 desc, 1`.execute(db);
  const comments = await sql<{ id: string; number: number; csat_rating: number; csat_comment: string; csat_at: Date }>`
    select c.id, c.number, c.csat_rating, c.csat_comment, c.csat_at from conversations c
    where ${where} and c.csat_at >= ${start} and c.csat_at < ${end} and c.csat_rating is not null
      and coalesce(btrim(c.csat_comment), '') <> ''
    order by c.csat_at desc, c.number desc limit 200`.execute(db);

  return {
    timeZone: window.timeZone,
    nextResponse: presentDurations(durations.nextResponse),
    businessHours: {
      firstResponse: presentDurations(durations.businessFirstResponse),
      nextResponse: presentDurations(durations.businessNextResponse),
      resolution: presentDurations(durations.businessResolution),
    },
    sla: {
      targets: TARGETS.map((target) => {
        const m = measured.rows.find((r) => r.target === target);
        const n = m?.measured ?? 0;
        const b = m?.breached ?? 0;
        return { target, measured: n, breached: b, attainment: n ? Math.round(((n - b) / n) * 1000) / 1000 : null };
      }),
      breaches: breaches.rows.map((r) => ({ target: r.target, count: r.n })),
    },
    csatComments: comments.rows.map((r) => ({
      conversationId: r.id,
      number: r.number,
      rating: r.csat_rating,
      comment: r.csat_comment,
      at: new Date(r.csat_at).toISOString(),
    })),
  };
}
