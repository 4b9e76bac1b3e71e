import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { type AgentNotification, type DomainEvent, type NotificationKind, rooms } from '@autocrm/shared';
import { agentNotificationPrefsOf } from '../domain/notifications/agent-prefs';
import { createNotification, unreadNotificationCount } from '../domain/notifications/notifications';
import { sendPush } from '../domain/notifications/web-push';
import type { Db } from '../storage/db';
import type { ListenerContext } from './context';

export interface AgentNote {
  userId: string;
  kind: NotificationKind;
  conversationId: string;
  messageId?: string | null;
  title: string;
  body?: string | null;
  /** Extra fields of the live event (an SLA's due time, a mention's author). */
  live?: Partial<AgentNotification>;
}

const agents = new Map<string, Agent>();

/**
 * How pushes are sent: the VAPID `sub` (PUSH_SUBJECT, or a no-reply address at our host) and, with
 * PUSH_CA_FILE, an HTTPS agent that also trusts those authorities.
 */
export function pushOptions(ctx: Pick<ListenerContext, 'config' | 'publicBaseUrl'>): { subject: string; agent?: Agent } {
  const subject = ctx.config.PUSH_SUBJECT ?? `mailto:no-reply@${new URL(ctx.publicBaseUrl()).hostname}`;
  const file = ctx.config.PUSH_CA_FILE;
  if (!file) return { subject };
  let agent = agents.get(file);
  if (!agent) {
    agent = new Agent({ ca: [...rootCertificates, readFileSync(file, 'utf8')], keepAlive: true });
    agents.set(file, agent);
  }
  return { subject, agent };
}

/**
 * Stores agent notifications in the dispatch transaction (so each is stored exactly once), then after
 * commit delivers them by the paths the agent chose: live to their tabs (the bell, a desktop
 * notification and a sound there), and Web Push when no tab of theirs is connected. Email for agents
 * away a while is the notification-mails worker's job.
 */
export function agentNotifier(ctx: ListenerContext) {
  const pending = new Map<number, { note: AgentNote; id: string }[]>();

  return {
    async store(trx: Db, event: DomainEvent, notes: AgentNote[]): Promise<void> {
      if (!notes.length) return;
      const prefs = await agentNotificationPrefsOf(trx, { userIds: [...new Set(notes.map((n) => n.userId))] });
      const stored: { note: AgentNote; id: string }[] = [];
      for (const note of notes) {
        const p = prefs.get(note.userId)?.kinds[note.kind];
        if (p && !p.inApp && !p.desktop && !p.push && !p.email) continue;
        const n = await createNotification(trx, {
          userId: note.userId,
          kind: note.kind,
          conversationId: note.conversationId,
          messageId: note.messageId ?? null,
          title: note.title,
          body: note.body ?? null,
        });
        stored.push({ note, id: n.id });
      }
      if (stored.length) pending.set(event.id, stored);
    },

    async deliver(event: DomainEvent): Promise<void> {
      const stored = pending.get(event.id);
      pending.delete(event.id);
      if (!stored) return;
      const realtime = ctx.realtime();
      const prefs = await agentNotificationPrefsOf(ctx.db, { userIds: [...new Set(stored.map((s) => s.note.userId))] });
      for (const { note, id } of stored) {
        const pref = prefs.get(note.userId)!;
        const p = pref.kinds[note.kind];
        try {
          const sockets = realtime ? await realtime.agents.in(rooms.user(note.userId)).fetchSockets() : [];
          if (realtime && (p.inApp || p.desktop)) {
            realtime.agents.to(rooms.user(note.userId)).emit('notification', {
              ...note.live,
              id,
              kind: note.kind,
              conversationId: note.conversationId,
              title: note.title,
              body: note.body ?? null,
              unread: await unreadNotificationCount(ctx.db, { userId: note.userId }),
              desktop: p.desktop,
              sound: p.desktop && pref.sound,
              at: event.occurredAt,
            });
          }
          if (p.push && sockets.length === 0) {
            await sendPush(ctx.db, {
              to: { userId: note.userId },
              message: {
                title: note.title,
                body: note.body ?? undefined,
                url: `${ctx.publicBaseUrl()}/inbox/${note.conversationId}`,
                tag: `conv-${note.conversationId}`,
              },
              ...pushOptions(ctx),
            });
          }
        } catch (err) {
          ctx.logger.warn({ err, userId: note.userId }, 'agent notification delivery failed');
        }
      }
    },
  };
}

/** A short excerpt of a message for a notification's body. */
export const excerpt = (text: string, max = 140) => {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
