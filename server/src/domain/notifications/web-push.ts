import type { Agent } from 'node:https';
import type { PushSubscriptionInput } from '@autocrm/shared';
import webpush from 'web-push';
import type { Db } from '../../storage/db';

const VAPID_KEY = 'push.vapid';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** The VAPID key pair, generated on first use and shared by every process through the settings table. */
export async function loadVapidKeys(db: Db): Promise<VapidKeys> {
  const fresh = webpush.generateVAPIDKeys();
  await db
    .insertInto('settings')
    .values({ key: VAPID_KEY, value: JSON.stringify(fresh), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', VAPID_KEY).executeTakeFirstOrThrow();
  const v = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as VapidKeys;
  return { publicKey: v.publicKey, privateKey: v.privateKey };
}

export type SavePushSubscriptionProps = { owner: { userId: string } | { contactId: string }; input: PushSubscriptionInput };

/** Stores (or moves to this owner) a browser's subscription; the endpoint is the identity. */
export async function savePushSubscription(db: Db, { owner, input }: SavePushSubscriptionProps): Promise<void> {
  const values = {
    user_id: 'userId' in owner ? owner.userId : null,
    contact_id: 'contactId' in owner ? owner.contactId : null,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
  };
  await db
    .insertInto('push_subscriptions')
    .values({ endpoint: input.endpoint, ...values })
    .onConflict((oc) => oc.column('endpoint').doUpdateSet(values))
    .execute();
}

export type RemovePushSubscriptionProps = { owner: { userId: string } | { contactId: string }; endpoint: string };

export async function removePushSubscription(db: Db, { owner, endpoint }: RemovePushSubscriptionProps): Promise<void> {
  let q = db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint);
  q = 'userId' in owner ? q.where('user_id', '=', owner.userId) : q.where('contact_id', '=', owner.contactId);
  await q.execute();
}

/** What a push carries; the service worker shows it and opens `url` on click. */
export interface PushMessage {
  title: string;
  body?: string;
  url?: string;
  tag?: string;
}

export type SendPushProps = {
  to: { userId: string } | { contactId: string };
  message: PushMessage;
  /** The `sub` claim of the VAPID JWT (a mailto: or https: URL). */
  subject: string;
  /** An HTTPS agent trusting extra authorities (PUSH_CA_FILE). */
  agent?: Agent | undefined;
};

/**
 * Encrypts the message for each of the owner's subscriptions (RFC 8291 aes128gcm) and POSTs it to its
 * push service with a VAPID Authorization (RFC 8292). A subscription the service says is gone (404, 410)
 * is removed. Returns how many services accepted it.
 */
export async function sendPush(db: Db, { to, message, subject, agent }: SendPushProps): Promise<number> {
  let q = db.selectFrom('push_subscriptions').select(['id', 'endpoint', 'p256dh', 'auth']);
  q = 'userId' in to ? q.where('user_id', '=', to.userId) : q.where('contact_id', '=', to.contactId);
  const subs = await q.execute();
  if (!subs.length) return 0;
  const vapid = await loadVapidKeys(db);
  const payload = JSON.stringify(message);
  let delivered = 0;
  for (const s of subs) {
    try {
      await webpush.sendNotification({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
        vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        contentEncoding: 'aes128gcm',
        TTL: 24 * 3600,
        timeout: 10_000,
        ...(agent ? { agent } : {}),
      });
      delivered++;
      await db.updateTable('push_subscriptions').set({ last_success_at: new Date() }).where('id', '=', s.id).execute();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) await db.deleteFrom('push_subscriptions').where('id', '=', s.id).execute();
      else throw err;
    }
  }
  return delivered;
}
