import type { Conversation, DomainEvent, PresenceStatus } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { EventListener } from '../../events/listener';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { PollLoop } from '../../workers/poll-loop';
import { SYSTEM } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { anySeatFree } from './agents';
import { assignConversation } from './assign-conversation';
import { addBusinessMinutes } from './business-hours';
import { classifyConversation } from './classify-conversation';
import { type Clock, systemClock } from './clock';
import { takeRoutingLock } from './routing-lock';
import { getRoutingSettings } from './routing-settings';
import { computeSla, pendingTargets, slaCalendar, slaState } from './sla';
import { loadCalendars } from './teams';

/** Where live presence comes from (the realtime layer); routing reconciles its cached copy with it. */
export interface PresenceSource {
  all(): Promise<Map<string, { status: PresenceStatus }>>;
}

export interface RoutingEngineOptions {
  clock?: Clock;
  logger: Logger;
  pollMs?: number;
  /** Called after routing committed events (so the relay dispatches them now). */
  onEvents?: () => void;
}

const PRIORITY_UP = { low: 'normal', normal: 'high', high: 'urgent', urgent: 'urgent' } as const;

/**
 * Routing in one process: reacts to conversation events and presence changes at once, and runs a
 * periodic round (SLA timers, overflow, re-route of offline agents' conversations, backfill, and a
 * sweep for anything an event did not reach). Any number of processes may run one: every routing
 * transaction takes the routing lock, and claims rows with SKIP LOCKED.
 */
export class RoutingEngine {
  clock: Clock;
  private presence: PresenceSource | undefined;
  private readonly loop: PollLoop;
  // Backfill and presence reconciliation walk the whole queue or ask every process for its sockets,
  // so they run when something may have freed a seat, and on the periodic tick, not on every event.
  private backfillWanted = true;
  private reconcileWanted = true;
  // Time-driven work (SLA timers, overflow, re-route) runs on the periodic tick only.
  private timersWanted = true;

  constructor(
    private readonly db: Db,
    private readonly options: RoutingEngineOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.loop = new PollLoop({
      pollMs: options.pollMs ?? 5000,
      run: () => this.round(),
      logger: options.logger,
      failure: 'routing round failed',
      onTick: () => this.wantEverything(),
    });
  }

  private wantEverything(): void {
    this.backfillWanted = true;
    this.reconcileWanted = true;
    this.timersWanted = true;
  }

  attachPresence(source: PresenceSource): void {
    this.presence = source;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Something may have freed a seat (settings changed, an agent came online): offer the queue again. */
  requestBackfill(): void {
    this.backfillWanted = true;
    this.poke();
  }

  /** Run a round soon (coalesced with one in flight). */
  poke(): void {
    this.loop.poke();
  }

  /** Waits for the round in flight and runs one more (tests await it after moving the clock). */
  async settle(): Promise<void> {
    // Through the loop, so a background round cannot take the timers this one asked for and finish later.
    await this.loop.runOnce(() => this.wantEverything());
  }

  /** One full round; each step commits on its own. */
  async round(): Promise<void> {
    if (this.reconcileWanted) {
      this.reconcileWanted = false;
      // Live presence may be briefly unreachable (Redis); routing goes on with the cached copy.
      await this.reconcilePresence().catch((err) => this.options.logger.warn({ err }, 'presence reconciliation failed'));
    }
    await this.routeNew();
    if (this.timersWanted) {
      this.timersWanted = false;
      await this.overflow();
      await this.rerouteOffline();
      await this.slaTimers();
    }
    if (this.backfillWanted) {
      this.backfillWanted = false;
      await this.backfill();
    }
    this.options.onEvents?.();
  }

  /** The outbox listener: records new conversations in the event's transaction, routes after commit. */
  listener(): EventListener {
    return {
      name: 'routing',
      events: ['conversation.created', 'conversation.handoff', 'conversation.updated', 'message.created'],
      inTransaction: async (event, trx) => this.record(event, trx),
      // Only new work needs a round now; everything else waits for the periodic one.
      afterCommit: (event) => {
        if (event.type === 'conversation.created' || event.type === 'conversation.handoff' || this.backfillWanted) this.poke();
      },
    };
  }

  private async record(event: DomainEvent, trx: Db): Promise<void> {
    const now = this.clock.now();
    if (event.type === 'conversation.created' || event.type === 'conversation.handoff') {
      const { conversation } = (event as DomainEvent<'conversation.created' | 'conversation.handoff'>).data;
      const language =
        event.type === 'conversation.handoff' ? ((event as DomainEvent<'conversation.handoff'>).data.language ?? null) : null;
      // The bot answers first: its conversations reach routing (and start their SLA clock) at hand-off.
      if (event.type === 'conversation.created' && conversation.owner === 'bot') return;
      await trx
        .insertInto('conversation_routing')
        .values({
          conversation_id: conversation.id,
          // Even an assigned conversation is classified: rules fire and its SLA clock starts.
          state: 'new',
          language,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .column('conversation_id')
            .doUpdateSet(
              event.type === 'conversation.handoff'
                ? { state: 'new', ...(language ? { language } : {}), updated_at: now }
                : { updated_at: now },
            ),
        )
        .execute();
      return;
    }
    if (event.type === 'conversation.updated') {
      const { conversation, changed } = (event as DomainEvent<'conversation.updated'>).data;
      const done = conversation.status.category === 'resolved' || conversation.status.category === 'closed';
      if (done && changed.includes('status')) {
        await trx
          .updateTable('conversation_routing')
          .set({ state: 'done', updated_at: now })
          .where('conversation_id', '=', conversation.id)
          .execute();
        await this.refreshSlaState(trx, conversation.id);
        this.backfillWanted = true; // a seat is free
      } else if (changed.includes('assigneeId') && !conversation.assigneeId && !done) {
        // Unassigned by hand: back to the queue, keeping its place.
        await trx
          .updateTable('conversation_routing')
          .set({ state: 'queued', queued_at: sql`coalesce(queued_at, ${now})`, updated_at: now })
          .where('conversation_id', '=', conversation.id)
          .where('state', '=', 'assigned')
          .execute();
        this.backfillWanted = true;
      } else if (changed.includes('assigneeId') && conversation.assigneeId) {
        await trx
          .updateTable('conversation_routing')
          .set({ state: 'assigned', updated_at: now })
          .where('conversation_id', '=', conversation.id)
          .where('state', '!=', 'new')
          .execute();
      }
      if (!done && (changed.includes('priority') || changed.includes('status') || changed.includes('tags')))
        await this.recalculateSla(trx, conversation, now);
      return;
    }
    if (event.type === 'message.created') {
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (message.private) return;
      const r = await trx
        .selectFrom('conversation_routing')
        .selectAll()
        .where('conversation_id', '=', conversation.id)
        .executeTakeFirst();
      if (!r?.sla_policy_id) return;
      if (message.authorKind === 'agent' && r.next_response_due_at) {
        await trx
          .updateTable('conversation_routing')
          .set({ next_response_due_at: null })
          .where('conversation_id', '=', conversation.id)
          .execute();
      } else if (message.authorKind === 'contact' && conversation.firstResponseAt && !r.next_response_due_at) {
        const policy = await trx.selectFrom('sla_policies').selectAll().where('id', '=', r.sla_policy_id).executeTakeFirst();
        if (policy?.next_response_minutes) {
          const cal = slaCalendar({ policy, teamId: conversation.teamId, calendars: await loadCalendars(trx) });
          await trx
            .updateTable('conversation_routing')
            .set({ next_response_due_at: addBusinessMinutes({ cal, from: now, minutes: policy.next_response_minutes }) })
            .where('conversation_id', '=', conversation.id)
            .execute();
        }
      }
      await this.refreshSlaState(trx, conversation.id);
    }
  }

  /**
   * A change of priority or tags can select another SLA policy: due times are recounted from when the
   * conversation started (what the customer has waited does not reset). A reopened conversation gets a
   * new resolution target counted from now and goes back through routing if nobody has it.
   */
  private async recalculateSla(trx: Db, conversation: Conversation, now: Date): Promise<void> {
    const r = await trx
      .selectFrom('conversation_routing')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirst();
    if (!r || r.state === 'new') return; // not classified yet: classification computes it
    const reopened = r.state === 'done';
    // A missed target stays missed: a breach (and the priority raise it may cause) does not recount.
    if (!reopened && r.sla_breached.length) return;
    const sla = await computeSla(trx, {
      c: {
        priority: conversation.priority,
        inboxId: conversation.inboxId,
        tags: conversation.tags,
        teamId: conversation.teamId,
        firstResponseAt: conversation.firstResponseAt,
      },
      calendars: await loadCalendars(trx),
      now: reopened ? now : (r.sla_started_at ?? new Date(conversation.createdAt)),
    });
    const same =
      !reopened &&
      sla.sla_policy_id === r.sla_policy_id &&
      sla.first_response_due_at?.getTime() === r.first_response_due_at?.getTime() &&
      sla.resolution_due_at?.getTime() === r.resolution_due_at?.getTime();
    if (same) return;
    await trx
      .updateTable('conversation_routing')
      .set({
        ...sla,
        ...(reopened
          ? { state: conversation.assigneeId ? 'assigned' : 'new', sla_started_at: now, sla_breached: '[]', sla_warned: '[]' }
          : {}),
        updated_at: now,
      })
      .where('conversation_id', '=', conversation.id)
      .execute();
    if (reopened && !conversation.assigneeId) this.backfillWanted = true;
    await this.refreshSlaState(trx, conversation.id);
  }

  private async refreshSlaState(trx: Db, conversationId: string): Promise<void> {
    const r = await trx
      .selectFrom('conversation_routing as r')
      .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
      .selectAll('r')
      .select(['c.first_response_at', 'c.status_category'])
      .where('r.conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (!r) return;
    const state = slaState(r, r);
    if (state !== r.sla_state)
      await trx
        .updateTable('conversation_routing')
        .set({ sla_state: state })
        .where('conversation_id', '=', conversationId)
        .execute();
  }

  /** The realtime layer calls this when an agent's presence may have changed (connect, disconnect, presence:set). */
  async presenceChanged(userId: string, status: PresenceStatus): Promise<void> {
    const changed = await this.db.transaction().execute(async (trx) => this.storePresence(trx, userId, status));
    if (changed && status === 'online') this.requestBackfill();
    else if (changed) this.poke();
  }

  private async storePresence(trx: Db, userId: string, status: PresenceStatus): Promise<boolean> {
    const now = this.clock.now();
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) return false;
    const row = await trx
      .insertInto('agent_routing_state')
      .values({ user_id: userId, presence: status, presence_changed_at: now })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ presence: status, presence_changed_at: now })
          .where('agent_routing_state.presence', '!=', status),
      )
      .returning('user_id')
      .executeTakeFirst();
    return !!row;
  }

  /** Corrects the cached presence from live sockets (a process that died never said its agents left). */
  private async reconcilePresence(): Promise<void> {
    if (!this.presence) return;
    const live = await this.presence.all();
    const rows = await this.db.selectFrom('agent_routing_state').select(['user_id', 'presence']).execute();
    for (const r of rows) {
      const status = live.get(r.user_id)?.status ?? 'offline';
      if (status !== r.presence) await this.db.transaction().execute((trx) => this.storePresence(trx, r.user_id, status));
    }
    for (const [userId, { status }] of live) {
      if (!rows.some((r) => r.user_id === userId))
        await this.db.transaction().execute((trx) => this.storePresence(trx, userId, status));
    }
  }

  /** Routes conversations recorded as new, one transaction each, claimed with SKIP LOCKED. */
  async routeNew(): Promise<number> {
    let n = 0;
    for (;;) {
      const done = await this.db.transaction().execute(async (trx) => {
        await takeRoutingLock(trx);
        const next = await trx
          .selectFrom('conversation_routing')
          .select('conversation_id')
          .where('state', '=', 'new')
          .orderBy('updated_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!next) return false;
        await classifyConversation(trx, { conversationId: next.conversation_id, now: this.clock.now() });
        return true;
      });
      if (!done) return n;
      n++;
    }
  }

  /** Offers queued conversations, by priority then waiting time, to whoever is free now. */
  async backfill(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await takeRoutingLock(trx);
      // With every seat taken, trying each queued conversation (several queries apiece) finds nobody.
      const { defaultCapacity } = await getRoutingSettings(trx);
      if (!(await anySeatFree(trx, defaultCapacity))) return 0;
      const queued = await trx
        .selectFrom('conversation_routing as r')
        .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
        .select('r.conversation_id')
        .where('r.state', '=', 'queued')
        .orderBy('c.priority_rank', 'desc')
        .orderBy('r.queued_at')
        .orderBy('r.conversation_id')
        .limit(1000)
        .execute();
      let assigned = 0;
      for (const q of queued) {
        const result = await assignConversation(trx, { conversationId: q.conversation_id, now: this.clock.now() });
        if (result.kind !== 'assigned') continue;
        assigned++;
        if (!(await anySeatFree(trx, defaultCapacity))) break;
      }
      return assigned;
    });
  }

  /** Queued past the team's overflow time: widen to the overflow team (and lower skill levels if set). */
  async overflow(): Promise<number> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      await takeRoutingLock(trx);
      const due = await trx
        .selectFrom('conversation_routing as r')
        .innerJoin('teams as t', 't.id', 'r.team_id')
        .select([
          'r.conversation_id',
          'r.team_id',
          'r.queued_at',
          't.overflow_after_minutes',
          't.overflow_team_id',
          't.overflow_relax_skills',
        ])
        .where('r.state', '=', 'queued')
        .where('r.overflowed_at', 'is', null)
        .where('t.overflow_after_minutes', 'is not', null)
        .execute();
      let n = 0;
      for (const d of due) {
        if (!d.queued_at || d.queued_at.getTime() + (d.overflow_after_minutes ?? 0) * 60_000 > now.getTime()) continue;
        await trx
          .updateTable('conversation_routing')
          .set({ overflowed_at: now, updated_at: now })
          .where('conversation_id', '=', d.conversation_id)
          .execute();
        await emit(trx, 'routing.overflowed', {
          conversationId: d.conversation_id,
          fromTeamId: d.team_id,
          toTeamId: d.overflow_team_id,
          relaxedSkills: d.overflow_relax_skills,
        });
        await assignConversation(trx, { conversationId: d.conversation_id, now });
        n++;
      }
      return n;
    });
  }

  /** Open conversations of agents offline longer than the setting go back to routing. */
  async rerouteOffline(): Promise<number> {
    const now = this.clock.now();
    const { rerouteOfflineAfterMinutes } = await getRoutingSettings(this.db);
    const cutoff = new Date(now.getTime() - rerouteOfflineAfterMinutes * 60_000);
    return this.db.transaction().execute(async (trx) => {
      await takeRoutingLock(trx);
      const rows = await trx
        .selectFrom('conversations as c')
        .innerJoin('agent_routing_state as s', 's.user_id', 'c.assignee_id')
        .select(['c.id', 'c.assignee_id'])
        .where('s.presence', '=', 'offline')
        .where('s.presence_changed_at', '<=', cutoff)
        .where('c.status_category', '=', 'open')
        .orderBy('c.priority_rank', 'desc')
        .orderBy('c.created_at')
        .execute();
      for (const r of rows) await this.unassignAndRoute(trx, r.id, r.assignee_id, now, 'agent offline');
      return rows.length;
    });
  }

  private async unassignAndRoute(trx: Db, conversationId: string, from: string | null, now: Date, reason: string) {
    await applyConversationUpdate(trx, { actor: SYSTEM, id: conversationId, update: { assigneeId: null } });
    await trx
      .insertInto('conversation_routing')
      .values({ conversation_id: conversationId, state: 'queued', queued_at: now, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('conversation_id')
          .doUpdateSet({ state: 'queued', queued_at: sql`coalesce(conversation_routing.queued_at, ${now})`, updated_at: now }),
      )
      .execute();
    await recordAudit(trx, {
      actor: SYSTEM,
      action: 'routing.rerouted',
      entityType: 'conversation',
      entityId: conversationId,
      before: { assigneeId: from },
      after: { reason },
    });
    await assignConversation(trx, { conversationId, now, ...(from ? { exclude: [from] } : {}) });
  }

  /** Warnings before, and events at, each missed target; optional priority raise or reassignment. */
  async slaTimers(): Promise<number> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      await takeRoutingLock(trx);
      const rows = await trx
        .selectFrom('conversation_routing as r')
        .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
        .innerJoin('sla_policies as p', 'p.id', 'r.sla_policy_id')
        .selectAll('r')
        .select([
          'c.first_response_at',
          'c.status_category',
          'c.assignee_id',
          'c.team_id as conversation_team_id',
          'c.priority',
          'p.warning_minutes',
          'p.breach_raise_priority',
          'p.breach_reassign',
        ])
        .where('r.sla_state', 'in', ['ok', 'warning', 'breached'])
        .forUpdate('r')
        .skipLocked()
        .execute();
      let fired = 0;
      for (const r of rows) {
        const warned = [...r.sla_warned];
        const breached = [...r.sla_breached];
        let breachedNow = false;
        for (const t of pendingTargets(r, r)) {
          const payload = {
            conversationId: r.conversation_id,
            policyId: r.sla_policy_id ?? '',
            target: t.target,
            dueAt: t.dueAt.toISOString(),
            assigneeId: r.assignee_id,
            teamId: r.conversation_team_id,
          };
          if (now >= t.dueAt && !breached.includes(t.key)) {
            breached.push(t.key);
            breachedNow = true;
            fired++;
            await emit(trx, 'sla.breached', payload);
            await recordAudit(trx, {
              actor: SYSTEM,
              action: 'sla.breached',
              entityType: 'conversation',
              entityId: r.conversation_id,
              after: payload,
            });
          } else if (
            now.getTime() >= t.dueAt.getTime() - r.warning_minutes * 60_000 &&
            !warned.includes(t.key) &&
            !breached.includes(t.key)
          ) {
            warned.push(t.key);
            fired++;
            await emit(trx, 'sla.warning', payload);
          }
        }
        const next = { ...r, sla_warned: warned, sla_breached: breached };
        await trx
          .updateTable('conversation_routing')
          .set({ sla_warned: JSON.stringify(warned), sla_breached: JSON.stringify(breached), sla_state: slaState(next, r) })
          .where('conversation_id', '=', r.conversation_id)
          .execute();
        if (breachedNow && r.breach_raise_priority && r.priority !== 'urgent')
          await applyConversationUpdate(trx, {
            actor: SYSTEM,
            id: r.conversation_id,
            update: { priority: PRIORITY_UP[r.priority] },
          });
        if (breachedNow && r.breach_reassign && r.assignee_id)
          await this.unassignAndRoute(trx, r.conversation_id, r.assignee_id, now, 'SLA breached');
      }
      return fired;
    });
  }
}
