import {
  LiveDashboard,
  ReportAgents,
  ReportHeatmap,
  ReportKind,
  ReportKnowledge,
  ReportMacros,
  ReportOverview,
  ReportQuery,
  ReportService,
  ReportSettings,
  ReportTimeseries,
} from '@autocrm/shared';
import { z } from 'zod';
import { reportAgents } from '../../domain/reports/agents';
import { reportHeatmap } from '../../domain/reports/heatmap';
import { reportKnowledge } from '../../domain/reports/knowledge';
import { liveDashboard } from '../../domain/reports/live-dashboard';
import { reportMacros } from '../../domain/reports/macros';
import { reportOverview } from '../../domain/reports/overview';
import { reportCsv } from '../../domain/reports/report-csv';
import { getReportSettings, putReportSettings } from '../../domain/reports/report-settings';
import { reportService } from '../../domain/reports/service';
import { reportTimeseries } from '../../domain/reports/timeseries';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const ACCESS = ' Agents (role) get their own figures only; supervisors, admins and API keys with `reports:read` see everyone.';

/** Reports: aggregate figures over conversations, messages, CSAT, bot hand-offs and macro uses. */
export function reportRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const report = <T extends z.ZodType>(path: string, summary: string, schema: T, description: string) =>
    secured('reports:read', {
      method: 'get',
      path,
      tags: ['Reports'],
      summary,
      description: `${description}${ACCESS}`,
      request: { query: ReportQuery },
      responses: { 200: json(schema, summary) },
    });

  app.openapi(
    report(
      '/reports/overview',
      'Report overview',
      ReportOverview,
      'Created, resolved and reopened conversations, first-response and resolution times (median, p90), CSAT and bot deflection, with the same figures for the previous period of equal length.',
    ),
    async (c) => c.json(await reportOverview(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(
    report(
      '/reports/timeseries',
      'Report per day',
      ReportTimeseries,
      'Per local day: created, resolved, reopened, and the backlog at the end of the day.',
    ),
    async (c) => c.json(await reportTimeseries(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(
    report(
      '/reports/heatmap',
      'Busiest hours',
      ReportHeatmap,
      'Conversations created by local weekday and hour (all 168 cells).',
    ),
    async (c) => c.json(await reportHeatmap(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(
    report(
      '/reports/agents',
      'Agent stats',
      ReportAgents,
      'Per agent: assigned, resolved, replies, first-response and resolution times, CSAT, handle time, and time online, away and offline.',
    ),
    async (c) => c.json(await reportAgents(db, { actor: actorOf(c), query: c.req.valid('query'), now: deps.clock.now() }), 200),
  );
  app.openapi(
    report(
      '/reports/macros',
      'Macro usage',
      ReportMacros,
      'Uses of each macro (by whom, last used) and the outcome of the conversations it was used in.',
    ),
    async (c) => c.json(await reportMacros(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(
    report(
      '/reports/service',
      'Service levels',
      ReportService,
      'Next-response time; first-response, next-response and resolution times in business hours (median, p90); SLA attainment per target and breaches; CSAT comments.',
    ),
    async (c) => c.json(await reportService(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(
    report(
      '/reports/knowledge',
      'Bot and knowledge base',
      ReportKnowledge,
      'Bot answers citing articles, the articles cited, answers called unhelpful, conversations the bot resolved alone; help-center helpfulness votes and questions without a good article; article views in the help center and the widget, per article and in total.',
    ),
    async (c) => c.json(await reportKnowledge(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(
    secured('reports:read', {
      method: 'get',
      path: '/reports/{kind}/export',
      tags: ['Reports'],
      summary: 'Export a report as CSV',
      description: `The report's table as CSV (every cell quoted; cells starting with = + - @ prefixed with ').${ACCESS}`,
      request: { params: z.object({ kind: ReportKind }), query: ReportQuery },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
    }),
    async (c) => {
      const { kind } = c.req.valid('param');
      const query = c.req.valid('query');
      const body = await reportCsv(db, { actor: actorOf(c), query, kind, now: deps.clock.now() });
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="report-${kind}-${query.from}-${query.to}.csv"`,
      });
    },
  );
  app.openapi(
    secured('reports:read', {
      method: 'get',
      path: '/reports/live',
      tags: ['Reports'],
      summary: 'Live supervisor dashboard',
      description:
        'Open, pending and waiting conversations, the longest wait, SLA at risk, and each user’s presence and load, as of now. An agent (role) sees their own conversations and themselves only.',
      responses: { 200: json(LiveDashboard, 'The dashboard now') },
    }),
    async (c) => c.json(await liveDashboard(db, { actor: actorOf(c) }), 200),
  );
  app.openapi(
    secured('reports:read', {
      method: 'get',
      path: '/reports/settings',
      tags: ['Reports'],
      summary: 'Get report settings',
      responses: { 200: json(ReportSettings, 'The report time zone') },
    }),
    async (c) => c.json(await getReportSettings(db), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/reports/settings',
      tags: ['Reports'],
      summary: 'Set report settings',
      description: 'The time zone reports count days, hours and weekdays in.',
      request: { body: jsonBody(ReportSettings) },
      responses: { 200: json(ReportSettings, 'The report settings') },
    }),
    async (c) => c.json(await putReportSettings(db, { actor: actorOf(c), settings: c.req.valid('json') }), 200),
  );
}
