import { type DomainEvent, rooms } from '@autocrm/shared';
import type { Logger } from 'pino';
import { canSeeInbox } from '../domain/access/gate';
import { activeUsersAmong, userNameOf } from '../domain/auth/find-users';
import type { EventListener } from '../events/listener';
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
 * In-app notifications for @mentions in a reply or an internal note: each mentioned agent who can see
 * the conversation (and is not the author) gets a `notification` on their own user room.
 */
export function notifyMentions(ctx: ListenerContext): EventListener {
  const { db, logger } = ctx;
  return {
    name: 'mention-notifications',
    events: ['message.created'],
    async afterCommit(event: DomainEvent) {
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (message.authorKind !== 'agent') return;
      const ids = mentionedIds(message.bodyHtml).filter((id) => id !== message.authorId);
      if (!ids.length) return;
      const agents = ctx.realtime()?.agents;
      if (!agents) return;
      try {
        const users = await activeUsersAmong(db, { userIds: ids });
        const authorName = message.authorId ? await userNameOf(db, { userId: message.authorId }) : undefined;
        for (const u of users) {
          if (
            !(await canSeeInbox(db, {
              actor: { kind: 'user', id: u.id, role: u.role, name: u.name },
              inboxId: conversation.inboxId,
            }))
          )
            continue;
          agents.to(rooms.user(u.id)).emit('notification', {
            kind: 'mention',
            conversationId: conversation.id,
            messageId: message.id,
            private: message.private,
            byId: message.authorId,
            title: `${authorName ?? 'Someone'} mentioned you${message.private ? ' in a note' : ''}`,
            at: event.occurredAt,
          });
        }
      } catch (err) {
        logger.warn({ err }, 'mention notifications failed');
      }
    },
  };
}
