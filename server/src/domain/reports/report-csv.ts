import type { ReportKind, ReportQuery } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportAgents } from './agents';
import { reportHeatmap } from './heatmap';
import { reportMacros } from './macros';
import { reportOverview } from './overview';
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

type Props = { actor: Actor; query: ReportQuery };

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
        m.lastUsedAt,
        m.conversations,
        m.resolutionMedianSeconds,
        m.csatAverage,
        m.reopenRate,
      ]),
    );
  },
};

export function reportCsv(db: Db, props: Props & { kind: ReportKind }): Promise<string> {
  return EXPORTS[props.kind](db, props);
}
