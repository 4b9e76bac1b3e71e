import type { MarkNotificationsRead, Notification, NotificationKind, NotificationList } from '@autocrm/shared';
import { AppError } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { NotificationsTable } from '../../../../db/types';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { getAgentNotificationPrefs } from './agent-prefs';

const present = (r: Selectable<NotificationsTable>): Notification => ({
  id: r.id,
  kind: r.kind as NotificationKind,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  title: r.title,
  body: r.body,
  readAt: r.read_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export type CreateNotificationProps = {
  userId: string;
  kind: NotificationKind;
  conversationId: string | null;
  messageId?: string | null;
  title: string;
  body?: string | null;
};

/** One entry in an agent's notification centre. */
export async function createNotification(db: Db, props: CreateNotificationProps): Promise<Notification> {
  const row = await db
    .insertInto('notifications')
    .values({
      user_id: props.userId,
      kind: props.kind,
      conversation_id: props.conversationId,
      message_id: props.messageId ?? null,
      title: props.title.slice(0, 300),
      body: props.body?.slice(0, 500) ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function unreadNotificationCount(db: Db, { userId }: { userId: string }): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export type ListNotificationsProps = { userId: string; unreadOnly?: boolean; before?: string; limit: number };

const encodeCursor = (r: { created_at: Date; id: string }) => `${r.created_at.toISOString()}_${r.id}`;

/** Newest first, keyset-paged by (created_at, id). */
export async function listNotifications(db: Db, props: ListNotificationsProps): Promise<NotificationList> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', props.userId);
  if (props.unreadOnly) q = q.where('read_at', 'is', null);
  if (props.before) {
    const [at, id] = props.before.split('_');
    const when = new Date(at ?? '');
    if (Number.isNaN(when.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id))
      throw new AppError('validation_failed', 'bad cursor');
    q = q.where((eb) => eb.or([eb('created_at', '<', when), eb.and([eb('created_at', '=', when), eb('id', '<', id)])]));
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(props.limit + 1)
    .execute();
  const page = rows.slice(0, props.limit);
  return {
    items: page.map(present),
    unread: await unreadNotificationCount(db, { userId: props.userId }),
    nextCursor: rows.length > props.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

export type MarkReadProps = { userId: string; input: MarkNotificationsRead };

/**
 * Marks the agent's own notifications read (others' ids are ignored); returns the unread count left.
 * The count goes out with a `notifications.read` event, so every tab of theirs hears it once this commits.
 */
export async function markNotificationsRead(db: Db, { userId, input }: MarkReadProps): Promise<number> {
  if (!input.all && !input.ids?.length && !input.conversationId) {
    throw new AppError('validation_failed', 'name ids, a conversationId, or all: true');
  }
  return db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('notifications')
      .set({ read_at: new Date() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (!input.all) {
      if (input.ids?.length) q = q.where('id', 'in', input.ids);
      if (input.conversationId) q = q.where('conversation_id', '=', input.conversationId);
    }
    await q.execute();
    const unread = await unreadNotificationCount(trx, { userId });
    await emit(trx, 'notifications.read', { userId, unread, ids: input.all ? 'all' : (input.ids ?? []) });
    return unread;
  });
}

/** Agents with unread notifications older than `before` that were not considered for mail yet. */
export async function agentsWithUnmailedNotifications(db: Db, { before }: { before: Date }): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('user_id')
    .distinct()
    .where('read_at', 'is', null)
    .where('emailed_at', 'is', null)
    .where('created_at', '<', before)
    .limit(100)
    .execute();
  return rows.map((r) => r.user_id);
}

export type TakeNotificationsForMailProps = { userId: string; before: Date };

/**
 * Claims an away agent's unread, unmailed notifications (marking them mailed, so each is considered
 * once by one process) and returns those whose kind the agent wants by email, with their address.
 */
export async function takeNotificationsForMail(
  db: Db,
  { userId, before }: TakeNotificationsForMailProps,
): Promise<{ to: { email: string; name: string }; items: Notification[] } | undefined> {
  const claimed = await db
    .updateTable('notifications')
    .set({ emailed_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('emailed_at', 'is', null)
    .where('created_at', '<', before)
    .returningAll()
    .execute();
  if (!claimed.length) return undefined;
  const user = await db.selectFrom('users').select(['email', 'name', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!user?.active) return undefined;
  const prefs = await getAgentNotificationPrefs(db, { userId });
  const items = claimed
    .filter((r) => prefs.kinds[r.kind as NotificationKind]?.email)
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
    .map(present);
  return items.length ? { to: { email: user.email, name: user.name }, items } : undefined;
}
