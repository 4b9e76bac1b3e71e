import type { Conversation, DomainEvent } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { addBusinessMinutes } from './business-hours';
import { computeSla, slaCalendar, slaState } from './sla';
import { loadCalendars } from './teams';

/**
 * Routing's record of what happened to a conversation, written in the transaction that dispatches the
 * event: a new or handed-off conversation waits for the next routing round, a resolved or unassigned one
 * frees a seat, and SLA due times follow priority, tags, status and replies. `seatFreed` tells the
 * caller the queue may move (the next round should offer it again).
 */
export async function recordRoutingEvent(trx: Db, props: { event: DomainEvent; now: Date }): Promise<{ seatFreed: boolean }> {
  const { event, now } = props;
  let seatFreed = false;
  if (event.type === 'conversation.created' || event.type === 'conversation.handoff') {
    const { conversation } = (event as DomainEvent<'conversation.created' | 'conversation.handoff'>).data;
    const language =
      event.type === 'conversation.handoff' ? ((event as DomainEvent<'conversation.handoff'>).data.language ?? null) : null;
    // The bot answers first: its conversations reach routing (and start their SLA clock) at hand-off.
    if (event.type === 'conversation.created' && conversation.owner === 'bot') return { seatFreed };
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
    return { seatFreed };
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
      await refreshSlaState(trx, conversation.id);
      seatFreed = true; // a seat is free
    } else if (changed.includes('assigneeId') && !conversation.assigneeId && !done) {
      // Unassigned by hand: back to the queue, keeping its place.
      await trx
        .updateTable('conversation_routing')
        .set({ state: 'queued', queued_at: sql`coalesce(queued_at, ${now})`, updated_at: now })
        .where('conversation_id', '=', conversation.id)
        .where('state', '=', 'assigned')
        .execute();
      seatFreed = true;
    } else if (changed.includes('assigneeId') && conversation.assigneeId) {
      await trx
        .updateTable('conversation_routing')
        .set({ state: 'assigned', updated_at: now })
        .where('conversation_id', '=', conversation.id)
        .where('state', '!=', 'new')
        .execute();
    }
    if (!done && (changed.includes('priority') || changed.includes('status') || changed.includes('tags')))
      if (await recalculateSla(trx, conversation, now)) seatFreed = true;
    return { seatFreed };
  }
  if (event.type === 'message.created') {
    const { message, conversation } = (event as DomainEvent<'message.created'>).data;
    if (message.private) return { seatFreed };
    const r = await trx
      .selectFrom('conversation_routing')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirst();
    if (!r?.sla_policy_id) return { seatFreed };
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
    await refreshSlaState(trx, conversation.id);
  }
  return { seatFreed };
}

/**
 * A change of priority or tags can select another SLA policy: due times are recounted from when the
 * conversation started (what the customer has waited does not reset). A reopened conversation gets a
 * new resolution target counted from now and goes back through routing if nobody has it (then true:
 * the queue may move).
 */
async function recalculateSla(trx: Db, conversation: Conversation, now: Date): Promise<boolean> {
  const r = await trx
    .selectFrom('conversation_routing')
    .selectAll()
    .where('conversation_id', '=', conversation.id)
    .executeTakeFirst();
  if (!r || r.state === 'new') return false; // not classified yet: classification computes it
  const reopened = r.state === 'done';
  // A missed target stays missed: a breach (and the priority raise it may cause) does not recount.
  if (!reopened && r.sla_breached.length) return false;
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
  if (same) return false;
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
  await refreshSlaState(trx, conversation.id);
  return reopened && !conversation.assigneeId;
}

async function refreshSlaState(trx: Db, conversationId: string): Promise<void> {
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
