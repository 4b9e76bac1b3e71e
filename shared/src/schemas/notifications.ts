import { z } from 'zod';
import { Id, Timestamp } from './common';

/** What an agent can be notified about. */
export const NOTIFICATION_KINDS = [
  'assigned',
  'customer.replied',
  'mention',
  'sla.warning',
  'sla.breached',
  'reopened',
  'snooze.ended',
] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS).meta({ id: 'NotificationKind' });
export type NotificationKind = z.infer<typeof NotificationKind>;

/** The paths a notification can take to an agent. */
export const NOTIFICATION_PATHS = ['inApp', 'desktop', 'push', 'email'] as const;
export type NotificationPath = (typeof NOTIFICATION_PATHS)[number];

export const Notification = z
  .object({
    id: Id,
    kind: NotificationKind,
    conversationId: Id.nullable(),
    messageId: Id.nullable(),
    title: z.string(),
    body: z.string().nullable(),
    readAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationList = z
  .object({
    items: z.array(Notification),
    unread: z.number().int(),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `before` for the next (older) page' }),
  })
  .meta({ id: 'NotificationList' });
export type NotificationList = z.infer<typeof NotificationList>;

export const NotificationListQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional().meta({ description: 'Only unread ones' }),
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const UnreadCount = z.object({ unread: z.number().int() }).meta({ id: 'NotificationUnreadCount' });

export const MarkNotificationsRead = z
  .strictObject({
    ids: z.array(Id).max(200).optional().meta({ description: 'These notifications' }),
    all: z.literal(true).optional().meta({ description: 'Every unread notification' }),
    conversationId: Id.optional().meta({ description: 'Every notification about this conversation' }),
  })
  .meta({ id: 'MarkNotificationsRead' });
export type MarkNotificationsRead = z.infer<typeof MarkNotificationsRead>;

export const NotificationPathPrefs = z
  .object({ inApp: z.boolean(), desktop: z.boolean(), push: z.boolean(), email: z.boolean() })
  .meta({ id: 'NotificationPathPrefs' });
export type NotificationPathPrefs = z.infer<typeof NotificationPathPrefs>;

export const AgentNotificationPrefs = z
  .object({
    kinds: z.record(NotificationKind, NotificationPathPrefs),
    sound: z.boolean().meta({ description: 'A short sound with a desktop notification while the tab is open' }),
  })
  .meta({ id: 'AgentNotificationPrefs' });
export type AgentNotificationPrefs = z.infer<typeof AgentNotificationPrefs>;

export const AgentNotificationPrefsUpdate = z
  .strictObject({
    kinds: z.partialRecord(NotificationKind, NotificationPathPrefs.partial()).optional(),
    sound: z.boolean().optional(),
  })
  .meta({ id: 'AgentNotificationPrefsUpdate' });
export type AgentNotificationPrefsUpdate = z.infer<typeof AgentNotificationPrefsUpdate>;

/** A browser's PushSubscription.toJSON(). */
export const PushSubscriptionInput = z
  .strictObject({
    endpoint: z.url({ protocol: /^https?$/ }).max(2000),
    expirationTime: z.number().nullable().optional(),
    keys: z.strictObject({ p256dh: z.string().min(40).max(200), auth: z.string().min(16).max(100) }),
  })
  .meta({ id: 'PushSubscriptionInput' });
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionInput>;

export const PushPublicKey = z
  .object({ publicKey: z.string().meta({ description: 'The VAPID application server key (base64url)' }) })
  .meta({ id: 'PushPublicKey' });

export const CustomerNotificationPrefs = z
  .object({
    emailReplies: z.boolean().meta({ description: 'Agent replies by email when the customer is away' }),
    emailStatus: z.boolean().meta({ description: 'Status changes and satisfaction surveys by email' }),
    push: z.boolean().meta({ description: 'Web push notifications on devices that opted in' }),
    unsubscribedAt: Timestamp.nullable().meta({ description: 'Set by the one-click unsubscribe link: no email at all' }),
  })
  .meta({ id: 'CustomerNotificationPrefs' });
export type CustomerNotificationPrefs = z.infer<typeof CustomerNotificationPrefs>;

/** Who sees an announcement: every condition given must hold (attributes all equal, seen within N days, one of the languages). */
export const AnnouncementSegment = z
  .strictObject({
    attributes: z.record(z.string().max(100), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
    seenWithinDays: z.number().int().min(1).max(3650).optional(),
    languages: z.array(z.string().min(2).max(10)).max(50).optional(),
  })
  .meta({ id: 'AnnouncementSegment' });
export type AnnouncementSegment = z.infer<typeof AnnouncementSegment>;

export const Announcement = z
  .object({
    id: Id,
    kind: z.enum(['announcement', 'back_online']),
    title: z.string(),
    body: z.string(),
    segment: AnnouncementSegment,
    inboxId: Id.nullable(),
    sendEmail: z.boolean(),
    active: z.boolean(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    shown: z.number().int().meta({ description: 'Contacts it was shown to' }),
    dismissed: z.number().int(),
    emailed: z.number().int(),
  })
  .meta({ id: 'Announcement' });
export type Announcement = z.infer<typeof Announcement>;

export const AnnouncementInput = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(4000),
    segment: AnnouncementSegment.default({}),
    inboxId: Id.nullable().optional(),
    sendEmail: z.boolean().default(false),
    expiresAt: Timestamp.nullable().optional(),
  })
  .meta({ id: 'AnnouncementInput' });
export type AnnouncementInput = z.infer<typeof AnnouncementInput>;

/** What the widget shows: a card per announcement the visitor has not dismissed. */
export const WidgetAnnouncement = z
  .object({ id: Id, kind: z.enum(['announcement', 'back_online']), title: z.string(), body: z.string(), createdAt: Timestamp })
  .meta({ id: 'WidgetAnnouncement' });
export type WidgetAnnouncement = z.infer<typeof WidgetAnnouncement>;
