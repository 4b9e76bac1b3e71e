import { type DomainEvent, NAMESPACES, rooms } from '@autocrm/shared';
import { canSeeConversation } from '../domain/access/gate';
import { roomEventsAfter } from '../domain/rooms/replay';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

const PAGE = 200;

/**
 * After a merge, live clients end up in the primary room: the moved messages reach the primary's room
 * at their new seqs (so its clients see no gap), every socket in the secondary's room that may see the
 * primary joins it (agents through the access gate, a visitor only when the primary is their own), and
 * the secondary's room is told where it went (the workspace and the widget open the primary).
 */
export function moveMergedClientsListener(ctx: ListenerContext): EventListener {
  return {
    name: 'move-merged-clients',
    events: ['conversation.merged'],
    async afterCommit(event) {
      const io = ctx.realtime()?.io;
      if (!io) return;
      const { primary, secondary, firstMovedSeq } = (event as DomainEvent<'conversation.merged'>).data;
      const agents = io.of(NAMESPACES.agent);
      const widget = io.of(NAMESPACES.widget);
      const from = rooms.conversation(secondary.id);
      const to = rooms.conversation(primary.id);

      for (const s of await agents.in(from).fetchSockets()) {
        if (s.data.kind === 'agent' && (await canSeeConversation(ctx.db, { actor: s.data.actor, conversationId: primary.id })))
          s.join(to);
      }
      const sameContact = primary.contactId === secondary.contactId;
      for (const s of await widget.in(from).fetchSockets()) {
        if (s.data.kind === 'visitor' && s.data.visitor.contactId === primary.contactId) s.join(to);
        if (s.data.kind === 'customer' && s.data.customer.contactId === primary.contactId) s.join(to);
      }

      // The moved messages, in pages, from the database (their current state, notes only to agents).
      let after = firstMovedSeq - 1;
      for (;;) {
        const page = await roomEventsAfter(ctx.db, {
          conversationId: primary.id,
          afterSeq: after,
          limit: PAGE,
          includePrivate: true,
        });
        for (const e of page.events) {
          if (e.eventSeq > primary.lastSeq) break;
          agents.to(to).to(rooms.supervisors).emit('message', e);
          if (!e.message.private) widget.to(to).emit('message', e);
        }
        const last = page.events.at(-1);
        if (!page.hasMore || !last || last.eventSeq >= primary.lastSeq) break;
        after = last.eventSeq;
      }

      const merged = { conversationId: secondary.id, mergedInto: { id: primary.id, number: primary.number } };
      agents.to(from).to(rooms.supervisors).emit('conversation:merged', merged);
      widget.to(from).emit('conversation:updated', {
        conversationId: secondary.id,
        statusCategory: secondary.status.category,
        assignee: null,
        owner: secondary.owner,
        // Another contact's conversation is not this visitor's to open: their chat just ends.
        ...(sameContact ? { continuedIn: primary.id } : {}),
      });
    },
  };
}
