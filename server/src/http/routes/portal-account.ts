import {
  PortalLiveToken,
  PortalMe,
  PortalNotificationPrefs,
  PortalPasswordSet,
  PortalProfileUpdate,
  PushPublicKey,
  PushSubscriptionInput,
} from '@autocrm/shared';
import { z } from 'zod';
import { getCustomerNotificationPrefs, setCustomerNotificationPrefs } from '../../domain/notifications/customer-prefs';
import { loadVapidKeys, removePushSubscription, savePushSubscription } from '../../domain/notifications/web-push';
import { portalLiveToken } from '../../domain/portal/live-token';
import { getPortalProfile, updatePortalProfile } from '../../domain/portal/profile';
import { endAllPortalSessions, endPortalSession } from '../../domain/portal/sessions';
import { removePortalPassword, setPortalPassword } from '../../domain/portal/sign-in';
import type { AppDeps } from '../context';
import { json, jsonBody } from '../openapi';
import { type PortalApp, PortalOk } from './portal-app';

/** The signed-in customer's own account: profile, password, notifications and push, live token, sign-out. */
export function portalAccountRoutes({ app, open, customer }: PortalApp, { db }: AppDeps) {
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/me',
      summary: 'Who am I',
      responses: { 200: json(PortalMe, 'The signed-in customer') },
    }),
    async (c) => c.json(await getPortalProfile(db, { contactId: c.get('customer').contactId }), 200),
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/live-token',
      summary: 'Get my live updates token',
      description:
        'A token for the `/widget` socket namespace (`auth: { portalLive }`): join your tickets’ rooms with `room:join` and receive their messages and status changes live, resuming by seq after a reconnect. Read-only; valid as long as this session.',
      responses: { 200: json(PortalLiveToken, 'The token') },
    }),
    async (c) => c.json({ token: await portalLiveToken(db, { sessionId: c.get('customer').sessionId }) }, 200),
  );
  app.openapi(
    customer({
      method: 'patch',
      path: '/portal/me',
      summary: 'Update my profile',
      request: { body: jsonBody(PortalProfileUpdate) },
      responses: { 200: json(PortalMe, 'Updated') },
    }),
    async (c) => c.json(await updatePortalProfile(db, { contactId: c.get('customer').contactId, ...c.req.valid('json') }), 200),
  );
  app.openapi(
    customer({
      method: 'put',
      path: '/portal/me/password',
      summary: 'Set my password',
      request: { body: jsonBody(PortalPasswordSet) },
      responses: { 200: json(PortalOk, 'Set') },
    }),
    async (c) => {
      await setPortalPassword(db, { contactId: c.get('customer').contactId, password: c.req.valid('json').password });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'delete',
      path: '/portal/me/password',
      summary: 'Remove my password',
      responses: { 200: json(PortalOk, 'Removed') },
    }),
    async (c) => {
      await removePortalPassword(db, { contactId: c.get('customer').contactId });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/me/notifications',
      summary: 'Get my notification preferences',
      responses: { 200: json(PortalNotificationPrefs, 'Email on replies, email on status changes, push') },
    }),
    async (c) => {
      const p = await getCustomerNotificationPrefs(db, { contactId: c.get('customer').contactId });
      // An unsubscribed customer gets no email of any kind, whatever the two switches say.
      const email = !p.unsubscribedAt;
      return c.json({ emailReplies: email && p.emailReplies, emailStatus: email && p.emailStatus, push: p.push }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'put',
      path: '/portal/me/notifications',
      summary: 'Set my notification preferences',
      request: { body: jsonBody(PortalNotificationPrefs) },
      responses: { 200: json(PortalNotificationPrefs, 'Stored') },
    }),
    async (c) => {
      const prefs = c.req.valid('json');
      const p = await setCustomerNotificationPrefs(db, { contactId: c.get('customer').contactId, ...prefs });
      const email = !p.unsubscribedAt;
      return c.json({ emailReplies: email && p.emailReplies, emailStatus: email && p.emailStatus, push: p.push }, 200);
    },
  );
  app.openapi(
    open({
      method: 'get',
      path: '/portal/push/public-key',
      summary: 'Get the Web Push key',
      description: 'The VAPID public key (the application server key) a browser subscribes with.',
      responses: { 200: json(PushPublicKey, 'The VAPID public key') },
    }),
    async (c) => c.json({ publicKey: (await loadVapidKeys(db)).publicKey }, 200),
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/push/subscriptions',
      summary: 'Notify me in this browser',
      description: "Stores this browser's PushSubscription for the customer and turns push on in their preferences.",
      request: { body: jsonBody(PushSubscriptionInput) },
      responses: { 200: json(PortalOk, 'Stored') },
    }),
    async (c) => {
      const { contactId } = c.get('customer');
      await savePushSubscription(db, { owner: { contactId }, input: c.req.valid('json') });
      if (!(await getCustomerNotificationPrefs(db, { contactId })).push)
        await setCustomerNotificationPrefs(db, { contactId, push: true });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/push/subscriptions/remove',
      summary: 'Stop notifying me in this browser',
      request: { body: jsonBody(z.strictObject({ endpoint: z.url().max(2000) })) },
      responses: { 200: json(PortalOk, 'Removed (or was not there)') },
    }),
    async (c) => {
      await removePushSubscription(db, {
        owner: { contactId: c.get('customer').contactId },
        endpoint: c.req.valid('json').endpoint,
      });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({ method: 'post', path: '/portal/sign-out', summary: 'Sign out', responses: { 200: json(PortalOk, 'Signed out') } }),
    async (c) => {
      await endPortalSession(db, { sessionId: c.get('customer').sessionId });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/sign-out/everywhere',
      summary: 'Sign out everywhere',
      responses: { 200: json(z.object({ ended: z.number().int() }), 'Every session of this customer ended') },
    }),
    async (c) => c.json({ ended: await endAllPortalSessions(db, { contactId: c.get('customer').contactId }) }, 200),
  );
}
