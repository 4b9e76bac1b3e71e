import {
  AgentNotificationPrefs,
  AgentNotificationPrefsUpdate,
  Announcement,
  AnnouncementInput,
  AppError,
  Id,
  MarkNotificationsRead,
  NotificationList,
  NotificationListQuery,
  PushPublicKey,
  PushSubscriptionInput,
  UnreadCount,
} from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import { z } from 'zod';
import { getAgentNotificationPrefs, setAgentNotificationPrefs } from '../../domain/notifications/agent-prefs';
import { createAnnouncement, listAnnouncements, setAnnouncementActive } from '../../domain/notifications/announcements';
import { getCustomerNotificationPrefs, setCustomerNotificationPrefs } from '../../domain/notifications/customer-prefs';
import { listNotifications, markNotificationsRead, unreadNotificationCount } from '../../domain/notifications/notifications';
import { contactOfUnsubscribeToken } from '../../domain/notifications/unsubscribe-token';
import { loadVapidKeys, removePushSubscription, savePushSubscription } from '../../domain/notifications/web-push';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const tags = ['Notifications'];
const Ok = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/** The page an unsubscribe link opens: one button (a GET never unsubscribes: mail scanners follow links). */
function unsubscribePage(props: { state: 'ask' | 'done' | 'again' | 'invalid' }) {
  const text = {
    ask: ['Stop emails about your conversations?', 'You will still see replies in the chat and can turn emails on again here.'],
    done: ['You are unsubscribed', 'We will not email you about your conversations any more.'],
    again: ['You are subscribed again', 'We will email you when support replies while you are away.'],
    invalid: ['This link is not valid', 'Use the link from the most recent email.'],
  }[props.state];
  const button = (action: 'unsubscribe' | 'subscribe', label: string) =>
    `<form method="post"><input type="hidden" name="action" value="${action}"><button type="submit" style="padding:10px 16px;border:0;border-radius:8px;background:#4338ca;color:#fff;font:inherit;font-weight:600;cursor:pointer">${label}</button></form>`;
  const form =
    props.state === 'ask'
      ? button('unsubscribe', 'Unsubscribe')
      : props.state === 'done'
        ? button('subscribe', 'Subscribe again')
        : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeUTF8(text[0]!)}</title></head>
<body style="margin:0;background:#f5f6f8;font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2430">
<main style="max-width:480px;margin:48px auto;padding:28px;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.08)">
<h1 style="font-size:20px;margin:0 0 8px" data-unsubscribe="${props.state}">${escapeUTF8(text[0]!)}</h1>
<p style="color:#5b6472">${escapeUTF8(text[1]!)}</p>${form}
</main></body></html>`;
}

/**
 * The agent's notification centre (list, unread count, mark read), their preferences and push
 * subscriptions; and the customers' one-click unsubscribe (a page, and RFC 8058's POST).
 */
export function notificationRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const userOf = (c: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(c);
    if (actor.kind !== 'user') throw new AppError('forbidden', 'notifications belong to a signed-in agent');
    return actor;
  };

  app.openapi(
    secured('user', {
      method: 'get',
      path: '/notifications',
      operationId: 'listNotifications',
      tags,
      summary: 'Your notifications, newest first',
      request: { query: NotificationListQuery },
      responses: { 200: json(NotificationList, 'A page of notifications and the unread count') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const list = await listNotifications(db, {
        userId: userOf(c).id,
        unreadOnly: q.unread === 'true',
        before: q.before,
        limit: q.limit,
      });
      return c.json(list, 200);
    },
  );

  app.openapi(
    secured('user', {
      method: 'get',
      path: '/notifications/unread-count',
      operationId: 'countUnreadNotifications',
      tags,
      summary: 'How many of your notifications are unread',
      responses: { 200: json(UnreadCount, 'The unread count') },
    }),
    async (c) => c.json({ unread: await unreadNotificationCount(db, { userId: userOf(c).id }) }, 200),
  );

  app.openapi(
    secured('user', {
      method: 'post',
      path: '/notifications/read',
      operationId: 'markNotificationsRead',
      tags,
      summary: 'Mark notifications read',
      description: 'By ids, every one about a conversation, or all. Every tab of yours hears the new unread count.',
      request: { body: jsonBody(MarkNotificationsRead) },
      responses: { 200: json(UnreadCount, 'The unread count left') },
    }),
    async (c) => {
      const unread = await markNotificationsRead(db, { userId: userOf(c).id, input: c.req.valid('json') });
      return c.json({ unread }, 200);
    },
  );

  app.openapi(
    secured('user', {
      method: 'get',
      path: '/me/notification-preferences',
      operationId: 'getMyNotificationPreferences',
      tags,
      summary: 'Your notification preferences',
      responses: { 200: json(AgentNotificationPrefs, 'Per kind: in-app, desktop, push, email; and the sound') },
    }),
    async (c) => c.json(await getAgentNotificationPrefs(db, { userId: userOf(c).id }), 200),
  );

  app.openapi(
    secured('user', {
      method: 'put',
      path: '/me/notification-preferences',
      operationId: 'setMyNotificationPreferences',
      tags,
      summary: 'Change your notification preferences',
      description: 'What is given replaces, per kind and path; the rest stays.',
      request: { body: jsonBody(AgentNotificationPrefsUpdate) },
      responses: { 200: json(AgentNotificationPrefs, 'Your preferences now') },
    }),
    async (c) => c.json(await setAgentNotificationPrefs(db, { userId: userOf(c).id, input: c.req.valid('json') }), 200),
  );

  app.openapi(
    secured('user', {
      method: 'get',
      path: '/push/public-key',
      operationId: 'getPushPublicKey',
      tags,
      summary: 'The Web Push application server key',
      responses: { 200: json(PushPublicKey, 'The VAPID public key to subscribe with') },
    }),
    async (c) => c.json({ publicKey: (await loadVapidKeys(db)).publicKey }, 200),
  );

  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/push-subscriptions',
      operationId: 'addMyPushSubscription',
      tags,
      summary: 'Receive push notifications in this browser',
      description: "Stores the browser's PushSubscription; notifications are pushed to it while no tab of yours is open.",
      request: { body: jsonBody(PushSubscriptionInput) },
      responses: { 200: json(Ok, 'Stored') },
    }),
    async (c) => {
      await savePushSubscription(db, { owner: { userId: userOf(c).id }, input: c.req.valid('json') });
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/push-subscriptions/remove',
      operationId: 'removeMyPushSubscription',
      tags,
      summary: 'Stop push notifications in this browser',
      request: { body: jsonBody(z.strictObject({ endpoint: z.string().max(2000) })) },
      responses: { 200: json(Ok, 'Removed (or was not there)') },
    }),
    async (c) => {
      await removePushSubscription(db, { owner: { userId: userOf(c).id }, endpoint: c.req.valid('json').endpoint });
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/announcements',
      operationId: 'listAnnouncements',
      tags,
      summary: 'Proactive messages to contacts',
      responses: { 200: json(z.object({ data: z.array(Announcement) }), 'Announcements, newest first, with how many saw them') },
    }),
    async (c) => c.json({ data: await listAnnouncements(db) }, 200),
  );

  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/announcements',
      operationId: 'createAnnouncement',
      tags,
      summary: 'Send an announcement to a segment of contacts',
      description: 'Shown as a card in the widget on their next visit; optionally mailed to those with an address.',
      request: { body: jsonBody(AnnouncementInput) },
      responses: { 201: json(Announcement, 'The announcement') },
    }),
    async (c) => c.json(await createAnnouncement(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );

  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/announcements/{id}/active',
      operationId: 'setAnnouncementActive',
      tags,
      summary: 'Stop (or resume) showing an announcement',
      request: { params: z.object({ id: Id }), body: jsonBody(z.strictObject({ active: z.boolean() })) },
      responses: { 200: json(Announcement, 'The announcement') },
    }),
    async (c) =>
      c.json(
        await setAnnouncementActive(db, { actor: actorOf(c), id: c.req.valid('param').id, active: c.req.valid('json').active }),
        200,
      ),
  );

  // Plain pages, not API operations: what a customer's browser (or mail client, RFC 8058) opens.
  app.get('/notifications/unsubscribe/:token', async (c) => {
    const contactId = await contactOfUnsubscribeToken(db, { token: c.req.param('token') });
    if (!contactId) return c.html(unsubscribePage({ state: 'invalid' }), 404, PAGE_HEADERS);
    const prefs = await getCustomerNotificationPrefs(db, { contactId });
    return c.html(unsubscribePage({ state: prefs.unsubscribedAt ? 'done' : 'ask' }), 200, PAGE_HEADERS);
  });

  app.post('/notifications/unsubscribe/:token', async (c) => {
    const contactId = await contactOfUnsubscribeToken(db, { token: c.req.param('token') });
    if (!contactId) return c.html(unsubscribePage({ state: 'invalid' }), 404, PAGE_HEADERS);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    // RFC 8058 sends `List-Unsubscribe=One-Click`; our page's button sends `action`.
    const again = body.action === 'subscribe';
    await setCustomerNotificationPrefs(db, { contactId, unsubscribed: !again });
    return c.html(unsubscribePage({ state: again ? 'again' : 'done' }), 200, PAGE_HEADERS);
  });
}
