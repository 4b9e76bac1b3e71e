import type { DomainEvent } from '@autocrm/shared';
import { canSeeInbox } from '../domain/access/gate';
import { activeUsersAmong, userNameOf } from '../domain/auth/find-users';
import type { EventListener } from '../events/listener';
import { type AgentNote, agentNotifier, excerpt } from './agent-notifier';
import type { ListenerContext } from './context';

const MENTION = /<span\b[^>]*\bdata-type="mention"[^>]*>/gi;
const DATA_ID = /\bdata-id="([0-9a-f-]{36})"/i;
const MAX_MENTIONS = 20;

/** The agent ids mentioned in (sanitized) message HTML: `<span data-type="mention" data-id="…">`. */
export function mentionedIds(html: string): string[] {
  const ids = new Set<string>();
  for (const tag of html.match(MENTION) ?? []) {
    const id = DATA_ID.exec(tag)?.[1];
    if (id) ids.add(id.toLowerCase());
    if (ids.size >= MAX_MENTIONS) break;
  }
  return [...ids];
}

/**
 * Notifications for @mentions in a reply or an internal note: each mentioned agent who can see the
 * conversation (and is not the author) gets one in their centre, live on their tabs, and by push or mail
 * when away.
 */
export function notifyMentions(ctx: ListenerContext): EventListener {
  const notifier = agentNotifier(ctx);
  return {
    name: 'mention-notifications',
    events: ['message.created'],
    async inTransaction(event: DomainEvent, trx) {
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (message.authorKind !== 'agent') return;
      const ids = mentionedIds(message.bodyHtml).filter((id) => id !== message.authorId);
      if (!ids.length) return;
      const users = await activeUsersAmong(trx, { userIds: ids });
      const authorName = message.authorId ? await userNameOf(trx, { userId: message.authorId }) : undefined;
      const notes: AgentNote[] = [];
      for (const u of users) {
        const actor = { kind: 'user' as const, id: u.id, role: u.role, name: u.name };
        if (!(await canSeeInbox(trx, { actor, inboxId: conversation.inboxId }))) continue;
        notes.push({
          userId: u.id,
          kind: 'mention',
          conversationId: conversation.id,
          messageId: message.id,
          title: `${authorName ?? 'Someone'} mentioned you${message.private ? ' in a note' : ''}`,
          body: excerpt(message.bodyText),
          live: { messageId: message.id, private: message.private, byId: message.authorId },
        });
      }
      await notifier.store(trx, event, notes);
    },
    afterCommit: (event) => notifier.deliver(event),
  };
}
