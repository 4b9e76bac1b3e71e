import { z } from 'zod';
import { Channel, Priority } from '../enums';
import { Id, Timestamp } from './common';
import { TimeZone } from './routing';

const Day = z.iso.date().meta({ description: 'A calendar day (YYYY-MM-DD) in the report time zone', example: '2026-11-01' });

/**
 * What every report is filtered by. `from`..`to` are whole days, both included, in `timeZone` (default:
 * the workspace's report time zone, UTC until an admin sets one). At most 366 days.
 */
export const ReportQuery = z
  .strictObject({
    from: Day,
    to: Day,
    timeZone: TimeZone.optional(),
    inbox: Id.optional(),
    channel: Channel.optional(),
    team: Id.optional(),
    agent: Id.optional().meta({ description: 'Assignee; an agent (role) always gets their own figures' }),
    tag: z.string().trim().min(1).max(100).optional(),
    priority: Priority.optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ['to'],
    message: 'a report spans at most 366 days',
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Median and 90th percentile of a duration, in seconds; null when nothing was measured. */
const Durations = z.object({
  count: z.number().int(),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});

const Figures = z.object({
  created: z.number().int(),
  resolved: z.number().int(),
  reopened: z.number().int(),
  firstResponse: Durations,
  resolution: Durations,
  csat: z.object({
    responses: z.number().int(),
    average: z.number().nullable(),
    /** Ratings 1..5: index 0 is the count of 1s. */
    distribution: z.array(z.number().int()).length(5),
    /** Rated conversations among those resolved in the period (0..1); null when none were resolved. */
    responseRate: z.number().nullable(),
  }),
  bot: z.object({
    /** Created in the period with the bot first, and resolved without a person ever owning the room. */
    botHandled: z.number().int(),
    deflected: z.number().int(),
    handoffs: z.number().int(),
    handoffReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  }),
});

export const ReportOverview = z
  .object({
    timeZone: z.string(),
    period: z.object({ from: Timestamp, to: Timestamp }),
    previousPeriod: z.object({ from: Timestamp, to: Timestamp }),
    current: Figures,
    previous: Figures,
  })
  .meta({ id: 'ReportOverview' });
export type ReportOverview = z.infer<typeof ReportOverview>;
export type ReportFigures = z.infer<typeof Figures>;

export const ReportDay = z.object({
  day: z.iso.date(),
  created: z.number().int(),
  resolved: z.number().int(),
  reopened: z.number().int(),
  /** Unresolved conversations at the end of the day. */
  backlog: z.number().int(),
});
export const ReportTimeseries = z.object({ timeZone: z.string(), data: z.array(ReportDay) }).meta({ id: 'ReportTimeseries' });
export type ReportTimeseries = z.infer<typeof ReportTimeseries>;

export const ReportHeatmap = z
  .object({
    timeZone: z.string(),
    /** Conversations created, by ISO weekday (1 = Monday) and hour (0..23) in the report time zone. */
    data: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() })),
  })
  .meta({ id: 'ReportHeatmap' });
export type ReportHeatmap = z.infer<typeof ReportHeatmap>;

export const AgentStats = z.object({
  agentId: Id,
  name: z.string(),
  /** Conversations assigned to the agent and created in the period. */
  assigned: z.number().int(),
  resolved: z.number().int(),
  /** Public replies the agent wrote in the period. */
  replies: z.number().int(),
  firstResponse: Durations,
  resolution: Durations,
  csatAverage: z.number().nullable(),
  csatResponses: z.number().int(),
  /** Per conversation the agent replied in during the period: their first to their last public reply there. */
  handleTime: Durations,
  /**
   * Time in each presence status in the period (seconds), from the presence history: intervals clipped
   * to the period, one still open counted up to now; time before the first recorded change is not counted.
   */
  presence: z.object({
    onlineSeconds: z.number().int(),
    awaySeconds: z.number().int(),
    offlineSeconds: z.number().int(),
  }),
});
export const ReportAgents = z.object({ timeZone: z.string(), data: z.array(AgentStats) }).meta({ id: 'ReportAgents' });
export type ReportAgents = z.infer<typeof ReportAgents>;
export type AgentStats = z.infer<typeof AgentStats>;

export const MacroStats = z.object({
  macroId: Id.nullable(),
  name: z.string(),
  uses: z.number().int(),
  users: z.number().int(),
  /** Who used it, most uses first. */
  usedBy: z.array(z.object({ userId: Id.nullable(), name: z.string(), uses: z.number().int() })),
  lastUsedAt: Timestamp,
  /** Of the conversations it was used in: how they ended. */
  conversations: z.number().int(),
  resolutionMedianSeconds: z.number().nullable(),
  csatAverage: z.number().nullable(),
  reopenRate: z.number().nullable(),
});
export const ReportMacros = z.object({ timeZone: z.string(), data: z.array(MacroStats) }).meta({ id: 'ReportMacros' });
export type ReportMacros = z.infer<typeof ReportMacros>;

const SlaTarget = z.object({
  target: z.enum(['first_response', 'next_response', 'resolution']),
  /** Conversations created in the period with an SLA policy that sets this target. */
  measured: z.number().int(),
  /** Of those, breached (an `sla.breached` for this target at any time). */
  breached: z.number().int(),
  /** (measured - breached) / measured; null when none were measured. */
  attainment: z.number().nullable(),
});

export const ReportService = z
  .object({
    timeZone: z.string(),
    /** Each wait for a reply after the first one: a customer message after an agent reply, to the next agent reply. */
    nextResponse: Durations,
    /** The same durations counted in the team's business hours (conversations without a team: every hour counts). */
    businessHours: z.object({ firstResponse: Durations, nextResponse: Durations, resolution: Durations }),
    sla: z.object({
      targets: z.array(SlaTarget),
      /** `sla.breached` events in the period, per target. */
      breaches: z.array(z.object({ target: z.string(), count: z.number().int() })),
    }),
    csatComments: z.array(
      z.object({ conversationId: Id, number: z.number().int(), rating: z.number().int(), comment: z.string(), at: Timestamp }),
    ),
  })
  .meta({ id: 'ReportService' });
export type ReportService = z.infer<typeof ReportService>;

export const ReportKnowledge = z
  .object({
    timeZone: z.string(),
    bot: z.object({
      /** Bot messages in the period that cited at least one article. */
      answers: z.number().int(),
      /** Customer replies the bot read as "this did not help" (bot_unhelpful_turns) in conversations created in the period. */
      unhelpful: z.number().int(),
      /** Bot-first conversations created in the period, resolved without a person: the answers that helped. */
      helped: z.number().int(),
      articlesCited: z.array(z.object({ articleId: Id, title: z.string(), count: z.number().int() })),
    }),
    /** "Was this article helpful?" answers in the help center in the period, per article. */
    feedback: z.array(z.object({ articleId: Id, title: z.string(), helpful: z.number().int(), notHelpful: z.number().int() })),
    /** Questions the bot found no good article for, in the period (kb_gap_examples), grouped by gap. */
    unanswered: z.array(z.object({ question: z.string(), count: z.number().int(), lastAskedAt: Timestamp })),
    /**
     * Help-center article views in the period (the article page or the widget opening it), each reader
     * counted once per article and UTC day, bots left out; per article (most viewed first, 100 at most)
     * and in total (every article). Workspace-wide, like the votes.
     */
    views: z.object({
      total: z.number().int(),
      articles: z.array(z.object({ articleId: Id, title: z.string(), views: z.number().int() })),
    }),
  })
  .meta({ id: 'ReportKnowledge' });
export type ReportKnowledge = z.infer<typeof ReportKnowledge>;

export const LiveDashboard = z
  .object({
    at: Timestamp,
    open: z.number().int(),
    pending: z.number().int(),
    /** Open conversations waiting for a reply from the team. */
    waiting: z.number().int(),
    longestWaitSeconds: z.number().nullable(),
    unassigned: z.number().int(),
    slaAtRisk: z.number().int(),
    slaBreached: z.number().int(),
    agents: z.array(
      z.object({
        agentId: Id,
        name: z.string(),
        presence: z.enum(['online', 'away', 'offline']),
        openAssigned: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'LiveDashboard' });
export type LiveDashboard = z.infer<typeof LiveDashboard>;

export const ReportSettings = z.strictObject({ timeZone: TimeZone }).meta({ id: 'ReportSettings' });
export type ReportSettings = z.infer<typeof ReportSettings>;

/** `conversations`: the raw export, one row per conversation created in the window with its own figures. */
export const REPORT_KINDS = [
  'overview',
  'timeseries',
  'heatmap',
  'agents',
  'macros',
  'service',
  'knowledge',
  'conversations',
] as const;
export const ReportKind = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKind>;
