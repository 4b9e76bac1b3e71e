import type { DomainEvent } from '@autocrm/shared';
import { refreshOrDefer } from '../domain/reports/rollups';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/** The conversations an event is about: the ones whose report figures may have changed. */
export function conversationsOf(event: DomainEvent): string[] {
  const d = event.data as Record<string, unknown>;
  const ids: unknown[] = [];
  for (const k of ['conversation', 'primary', 'secondary'] as const) ids.push((d[k] as { id?: unknown } | undefined)?.id);
  ids.push(d.conversationId, d.followUpId);
  return ids.filter((x): x is string => typeof x === 'string');
}

/**
 * Keeps report_facts and report_rollups (domain/reports/rollups.ts) equal to the raw tables: on every
 * event about a conversation, its fact is recomputed and the hourly rollups move by the difference, in
 * the same transaction that marks the event dispatched (so a crash neither loses nor doubles a change).
 */
export function maintainReportRollups(_ctx: ListenerContext): EventListener {
  return {
    name: 'maintain-report-rollups',
    events: [
      'conversation.created',
      'conversation.updated',
      'conversation.status_changed',
      'conversation.assigned',
      'conversation.rated',
      'conversation.reopened',
      'conversation.merged',
      'conversation.handoff',
      'message.created',
      'message.updated',
      'routing.overflowed',
    ],
    // Once per dispatch batch (the relay calls it after every listener's per-event work, so the
    // conversations are as the batch left them): seven statements for the whole batch, not per event.
    async inTransactionBatch(events, trx) {
      const ids = events.flatMap((event) => {
        // Of new messages only an agent's public reply changes a figure (first and next response, replies,
        // handle time: a customer's message counts once the reply that answers it comes). A deleted
        // message leaves the waits and replies it was part of; an edit changes no figure.
        if (event.type === 'message.created') {
          const { message } = (event as DomainEvent<'message.created'>).data;
          if (message.authorKind !== 'agent' || message.private) return [];
        }
        if (event.type === 'message.updated' && (event as DomainEvent<'message.updated'>).data.change !== 'deleted') return [];
        return conversationsOf(event);
      });
      await refreshOrDefer(trx, { conversationIds: ids });
    },
  };
}
