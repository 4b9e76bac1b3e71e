import { type Conversation, type DomainEvent, rooms } from '@autocrm/shared';
import { BACK_ONLINE_CLIENT_ID } from '../domain/notifications/back-online';
import { getCustomerNotificationPrefs } from '../domain/notifications/customer-prefs';
import { sendPush } from '../domain/notifications/web-push';
import type { EventListener } from '../events/listener';
import { excerpt, pushOptions } from './agent-notifier';
import type { ListenerContext } from './context';

/**
 * Web Push to a customer who is not in the chat right now (no widget connected to the room) and opted
 * in: an agent's reply, the conversation resolved or waiting on them, "we're back online". Mail for the same moments goes
 * through the email channel (its away mail and survey honour the same preferences).
 */
export function notifyCustomersListener(ctx: ListenerContext): EventListener {
  const push = async (conversation: Conversation, title: string, body: string) => {
    const realtime = ctx.realtime();
    if (realtime && (await realtime.widget.in(rooms.conversation(conversation.id)).fetchSockets()).length) return;
    const prefs = await getCustomerNotificationPrefs(ctx.db, { contactId: conversation.contactId });
    if (!prefs.push) return;
    await sendPush(ctx.db, {
      to: { contactId: conversation.contactId },
      message: { title, body, tag: `conv-${conversation.id}` },
      ...pushOptions(ctx),
    });
  };
  return {
    name: 'notify-customers',
    events: ['message.created', 'conversation.status_changed'],
    async afterCommit(event) {
      try {
        if (event.type === 'message.created') {
          const { message, conversation } = (event as DomainEvent<'message.created'>).data;
          if (message.private || message.deletedAt) return;
          if (message.authorKind === 'system' && message.clientId?.startsWith(BACK_ONLINE_CLIENT_ID)) {
            await push(conversation, 'We’re back online', excerpt(message.bodyText));
            return;
          }
          if (message.authorKind !== 'agent' || message.clientId?.startsWith('seed:')) return;
          await push(conversation, 'New reply from support', excerpt(message.bodyText));
          return;
        }
        const { conversation, fromStatusId } = (event as DomainEvent<'conversation.status_changed'>).data;
        if (fromStatusId === conversation.status.id) return;
        const cat = conversation.status.category;
        if (cat === 'resolved')
          await push(conversation, 'Your conversation was resolved', 'Tell us how we did, or reply to open it again.');
        else if (cat === 'pending')
          await push(conversation, 'We are waiting on you', 'Support needs an answer from you to go on.');
      } catch (err) {
        ctx.logger.warn({ err }, 'customer push failed');
      }
    },
  };
}
