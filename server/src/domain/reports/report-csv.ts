import type { ReportKind, ReportQuery } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportAgents } from './agents';
import { conversationRows } from './conversation-export';
import { reportHeatmap } from './heatmap';
import { reportKnowledge } from './knowledge';
import { reportMacros } from './macros';
import { reportOverview } from './overview';
import { reportService } from './service';
import { reportTimeseries } from './timeseries';

/**
 * A CSV cell for spreadsheets: always quoted, and a cell starting with = + - @ (or tab or CR) prefixed
 * with ' so it shows as text instead of running as a formula (OWASP), as the audit export does.
 */
export const csvCell = (v: unknown) => {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

const toCsv = (header: string[], rows: unknown[][]) =>
  `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** `now`: where open presence intervals end (routing's clock; the system clock when absent). */
type Props = { actor: Actor; query: ReportQuery; now?: Date };

/** Each report as the table its page shows: the same figures, one row per line. */
const EXPORTS: Record<ReportKind, (db: Db, props: Props) => Promise<string>> = {
  async overview(db, props) {
    const { current: c, previous: p } = await reportOverview(db, props);
    const line = (metric: string, get: (f: typeof c) => unknown) => [metric, get(c), get(p)];
    return toCsv(
      ['metric', 'current', 'previous'],
      [
        line('created', (f) => f.created),
        line('resolved', (f) => f.resolved),
        line('reopened', (f) => f.reopened),
        line('first_response_median_seconds', (f) => f.firstResponse.medianSeconds),
        line('first_response_p90_seconds', (f) => f.firstResponse.p90Seconds),
        line('resolution_median_seconds', (f) => f.resolution.medianSeconds),
        line('resolution_p90_seconds', (f) => f.resolution.p90Seconds),
        line('csat_responses', (f) => f.csat.responses),
        line('csat_average', (f) => f.csat.average),
        line('csat_response_rate', (f) => f.csat.responseRate),
        ...[1, 2, 3, 4, 5].map((n) => line(`csat_rating_${n}`, (f) => f.csat.distribution[n - 1])),
        line('bot_handled', (f) => f.bot.botHandled),
        line('bot_deflected', (f) => f.bot.deflected),
        line('bot_handoffs', (f) => f.bot.handoffs),
      ],
    );
  },
  async timeseries(db, props) {
    const { data } = await reportTimeseries(db, props);
    return toCsv(
      ['day', 'created', 'resolved', 'reopened', 'backlog'],
      data.map((d) => [d.day, d.created, d.resolved, d.reopened, d.backlog]),
    );
  },
  async heatmap(db, props) {
    const { data } = await reportHeatmap(db, props);
    return toCsv(
      ['weekday', 'hour', 'created'],
      data.map((d) => [d.weekday, d.hour, d.count]),
    );
  },
  async agents(db, props) {
    const { data } = await reportAgents(db, props);
    return toCsv(
      [
        'agent_id',
        'name',
        'assigned',
        'resolved',
        'replies',
        'first_response_median_seconds',
        'first_response_p90_seconds',
        'resolution_median_seconds',
        'resolution_p90_seconds',
        'csat_average',
        'csat_responses',
        'handle_time_median_seconds',
        'handle_time_p90_seconds',
        'online_seconds',
        'away_seconds',
        'offline_seconds',
      ],
      data.map((a) => [
        a.agentId,
        a.name,
        a.assigned,
        a.resolved,
        a.replies,
        a.firstResponse.medianSeconds,
        a.firstResponse.p90Seconds,
        a.resolution.medianSeconds,
        a.resolution.p90Seconds,
        a.csatAverage,
        a.csatResponses,
        a.handleTime.medianSeconds,
        a.handleTime.p90Seconds,
        a.presence.onlineSeconds,
        a.presence.awaySeconds,
        a.presence.offlineSeconds,
      ]),
    );
  },
  async macros(db, props) {
    const { data } = await reportMacros(db, props);
    return toCsv(
      [
        'macro_id',
        'name',
        'uses',
        'users',
        'used_by',
        'last_used_at',
        'conversations',
        'resolution_median_seconds',
        'csat_average',
        'reopen_rate',
      ],
      data.map((m) => [
        m.macroId,
        m.name,
        m.uses,
        m.users,
        m.usedBy.map((u) => `${u.name} (${u.uses})`).join('; '),
        m.lastUsedAt,
        m.conversations,
        m.resolutionMedianSeconds,
        m.csatAverage,
        m.reopenRate,
      ]),
    );
  },
  async service(db, props) {
    const r = await reportService(db, props);
    const durations = (section: string, d: typeof r.nextResponse) => [
      [section, 'count', d.count],
      [section, 'median_seconds', d.medianSeconds],
      [section, 'p90_seconds', d.p90Seconds],
    ];
    return toCsv(
      ['section', 'name', 'value'],
      [
        ...durations('next_response', r.nextResponse),
        ...durations('business_hours_first_response', r.businessHours.firstResponse),
        ...durations('business_hours_next_response', r.businessHours.nextResponse),
        ...durations('business_hours_resolution', r.businessHours.resolution),
        ...r.sla.targets.flatMap((t) => [
          [`sla_${t.target}`, 'measured', t.measured],
          [`sla_${t.target}`, 'breached', t.breached],
          [`sla_${t.target}`, 'attainment', t.attainment],
        ]),
        ...r.sla.breaches.map((b) => ['sla_breaches_in_period', b.target, b.count]),
        ...r.csatComments.map((c) => [`csat_comment_${c.rating}`, `#${c.number} ${c.at}`, c.comment]),
      ],
    );
  },
  async knowledge(db, props) {
    const r = await reportKnowledge(db, props);
    return toCsv(
      ['section', 'name', 'value', 'value2'],
      [
        ['bot', 'answers_citing_articles', r.bot.answers, ''],
        ['bot', 'unhelpful_answers', r.bot.unhelpful, ''],
        ['bot', 'resolved_by_bot', r.bot.helped, ''],
        ...r.bot.articlesCited.map((a) => ['article_cited', a.title, a.count, a.articleId]),
        ...r.feedback.map((f) => ['article_feedback', f.title, f.helpful, f.notHelpful]),
        ...r.unanswered.map((u) => ['unanswered_question', u.question, u.count, u.lastAskedAt]),
        ['article_views', 'total', r.views.total, ''],
        ...r.views.articles.map((a) => ['article_views', a.title, a.views, a.articleId]),
      ],
    );
  },
  async conversations(db, props) {
    const { header, rows } = await conversationRows(db, props);
    return toCsv(header, rows);
  },
};

export function reportCsv(db: Db, props: Props & { kind: ReportKind }): Promise<string> {
  return EXPORTS[props.kind](db, props);
}
