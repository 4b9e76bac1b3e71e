import { z } from 'zod';
import { EmailStatusEvent } from './email';
import { ChannelStatusEvent } from './messaging-channels';

// Domain events that are no part of the webhook contract: they tell the server's own listeners that
// something changed which a background loop (or a live connection) should hear now, instead of a route
// waking the loop or emitting to sockets by hand. They go through the outbox like every event, so the
// reaction happens only if the change commits, and in whichever process dispatches it; webhook
// subscribers never see them, not even with `*`.
export const InternalEventPayloads = {
  /** An article's published text may have changed: the KB embedding loop should look now. */
  'kb.article_changed': z.object({ articleId: z.string() }),
  /** A routing input changed (team, agent capacity/skills, settings, a conversation's routing): route the queue again. */
  'routing.settings_changed': z.object({
    what: z.enum(['team', 'agent', 'settings', 'conversation']),
    id: z.string().nullable(),
  }),
  /** A webhook delivery was queued outside the event flow (a redelivery, a test ping): send it now. */
  'webhook.delivery_queued': z.object({ deliveryId: z.string(), webhookId: z.string() }),
  /** An invitation or password-reset mail was queued: the account-mail sender should look now. */
  'account.mail_queued': z.object({ kind: z.enum(['invitation', 'password_reset', 'portal_link']) }),
  /** Cached configuration changed (server/src/storage/cache/cache-keys.ts): every process drops these kinds. */
  'cache.stale': z.object({ keys: z.array(z.string()).min(1) }),
  /** An agent marked notifications read: every tab of theirs hears the unread count left. */
  'notifications.read': z.object({
    userId: z.string(),
    unread: z.number().int(),
    ids: z.union([z.array(z.string()), z.literal('all')]),
  }),
  /** An outgoing SMS / WhatsApp / Messenger message's delivery state moved: the room's agents see it live. */
  'channel.delivery_status': ChannelStatusEvent,
  /** An outgoing mail's delivery state moved: the room's agents see it live. */
  'email.delivery_status': EmailStatusEvent,
};

export type InternalEventType = keyof typeof InternalEventPayloads;

export type InternalEventData = { [K in InternalEventType]: z.infer<(typeof InternalEventPayloads)[K]> };

export const INTERNAL_EVENT_TYPES = Object.keys(InternalEventPayloads) as [InternalEventType, ...InternalEventType[]];

export const isInternalEvent = (type: string): type is InternalEventType => Object.hasOwn(InternalEventPayloads, type);
