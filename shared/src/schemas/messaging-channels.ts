import { z } from 'zod';

// Messaging channels (SMS through Twilio; WhatsApp and Messenger follow the same shapes): an inbox's
// provider settings as admins see and change them, and the delivery state of each message that
// crossed the provider.

export const ChannelMessageStatus = z
  .enum(['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'skipped'])
  .meta({ id: 'ChannelMessageStatus' });

const E164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'a phone number in international format, e.g. +4915112345678')
  .meta({ example: '+15005550006' });

export const SmsInboxSettings = z
  .object({
    provider: z.literal('twilio'),
    accountSid: z.string().nullable(),
    hasAuthToken: z.boolean(),
    from: z.string().nullable().meta({ description: 'The number replies are sent from' }),
    messagingServiceSid: z.string().nullable().meta({ description: 'Sends through a Messaging Service instead of one number' }),
    webhookUrls: z.object({ inbound: z.string(), status: z.string() }).meta({
      description: 'Paste `inbound` as the number\'s "A message comes in" webhook (HTTP POST); `status` is set on each send',
    }),
  })
  .meta({ id: 'SmsInboxSettings' });

export const SmsInboxSettingsUpdate = z
  .strictObject({
    accountSid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio Account SID: AC followed by 32 hex digits')
      .optional(),
    authToken: z.string().min(16).max(128).optional().meta({ description: 'Stored encrypted; never shown again' }),
    from: E164.nullable().optional(),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID: MG followed by 32 hex digits')
      .nullable()
      .optional(),
  })
  .meta({ id: 'SmsInboxSettingsUpdate' });

export const ChannelMessage = z
  .object({
    id: z.string(),
    messageId: z.string().nullable(),
    provider: z.string(),
    /** What the agent is shown: Messenger and Instagram share a provider (and a webhook), not a name. */
    network: z.enum(['sms', 'whatsapp', 'messenger', 'instagram']).meta({
      description:
        'The network the message crossed: sms, whatsapp, messenger or instagram (a reply in an Instagram conversation is marked messenger, whose Send API sends it)',
    }),
    direction: z.enum(['in', 'out']),
    from: z.string(),
    to: z.string(),
    status: ChannelMessageStatus,
    reason: z.string().nullable(),
    segments: z.number().int().nullable(),
    attempts: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ChannelMessage' });

export const ChannelMessageList = z.object({ data: z.array(ChannelMessage) }).meta({ id: 'ChannelMessageList' });

/** Pushed to the room's agents as a message's delivery state changes (`channel:status`). */
export const ChannelStatusEvent = z.object({
  conversationId: z.string(),
  channelMessageId: z.string(),
  messageId: z.string().nullable(),
  status: ChannelMessageStatus,
  reason: z.string().nullable(),
});
export type ChannelStatusEvent = z.infer<typeof ChannelStatusEvent>;

export const WhatsAppTemplate = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, 'the template name as approved in WhatsApp Manager: lowercase letters, digits, _'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en or en_US'),
    /** The body text with {{1}}, {{2}} ... as approved, shown to agents and stored in the room. */
    body: z.string().min(1).max(1024),
  })
  .meta({ id: 'WhatsAppTemplate' });

export const WhatsAppInboxSettings = z
  .object({
    phoneNumberId: z.string().nullable(),
    hasAccessToken: z.boolean(),
    hasAppSecret: z.boolean(),
    verifyToken: z.string().meta({ description: 'Paste into the webhook setup of your Meta app' }),
    webhookUrl: z.string(),
    templates: z.array(WhatsAppTemplate),
  })
  .meta({ id: 'WhatsAppInboxSettings' });

export const WhatsAppInboxSettingsUpdate = z
  .strictObject({
    phoneNumberId: z
      .string()
      .regex(/^\d{5,20}$/, 'the phone number ID from WhatsApp Manager (digits)')
      .optional(),
    accessToken: z.string().min(20).max(1024).optional().meta({ description: 'Stored encrypted; never shown again' }),
    appSecret: z.string().min(16).max(128).optional().meta({ description: "The Meta app's secret, for webhook signatures" }),
    templates: z.array(WhatsAppTemplate).max(100).optional(),
  })
  .meta({ id: 'WhatsAppInboxSettingsUpdate' });

/** Whether a free-form reply can reach the customer now (WhatsApp's 24-hour customer service window). */
export const WhatsAppWindow = z
  .object({
    open: z.boolean(),
    closesAt: z.string().nullable(),
    templates: z.array(WhatsAppTemplate),
  })
  .meta({ id: 'WhatsAppWindow' });

export const WhatsAppTemplateSend = z
  .strictObject({
    name: z.string().min(1).max(512),
    params: z.array(z.string().min(1).max(1024)).max(20).default([]),
  })
  .meta({ id: 'WhatsAppTemplateSend' });

/** Message tags Messenger and Instagram accept outside the 24-hour window (HUMAN_AGENT: within 7 days). */
export const MESSENGER_TAGS = ['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'] as const;
export const MessengerTag = z.enum(MESSENGER_TAGS).meta({ id: 'MessengerTag' });

export const MessengerInboxSettings = z
  .object({
    pageId: z.string().nullable(),
    instagramAccountId: z.string().nullable(),
    hasPageAccessToken: z.boolean(),
    hasAppSecret: z.boolean(),
    verifyToken: z.string().meta({ description: 'Paste into the webhook setup of your Meta app' }),
    webhookUrl: z.string(),
  })
  .meta({ id: 'MessengerInboxSettings' });

export const MessengerInboxSettingsUpdate = z
  .strictObject({
    pageId: z
      .string()
      .regex(/^\d{5,20}$/, 'the Facebook Page ID (digits)')
      .optional(),
    instagramAccountId: z
      .string()
      .regex(/^\d{5,25}$/, 'the Instagram professional account ID (digits)')
      .nullable()
      .optional(),
    pageAccessToken: z.string().min(20).max(1024).optional().meta({ description: 'Stored encrypted; never shown again' }),
    appSecret: z.string().min(16).max(128).optional().meta({ description: "The Meta app's secret, for webhook signatures" }),
  })
  .meta({ id: 'MessengerInboxSettingsUpdate' });

/** Whether a free-form reply can reach the customer (the 24-hour window) and which tags may be used after it. */
export const MessengerWindow = z
  .object({
    open: z.boolean(),
    closesAt: z.string().nullable(),
    /** The tags that can be sent now (HUMAN_AGENT only within 7 days of the customer's last message). */
    tags: z.array(MessengerTag),
  })
  .meta({ id: 'MessengerWindow' });

export const MessengerTaggedSend = z
  .strictObject({ body: z.string().trim().min(1).max(2000), tag: MessengerTag })
  .meta({ id: 'MessengerTaggedSend' });

/** An admin's test message from an inbox's settings, and what the provider answered. */
export const ChannelTestSend = z
  .strictObject({
    to: z.string().trim().min(3).max(100).meta({ description: 'A phone number (SMS, WhatsApp) or PSID (Messenger)' }),
    text: z.string().trim().min(1).max(1000).default('Test message from AutoCRM'),
  })
  .meta({ id: 'ChannelTestSend' });
export const ChannelTestResult = z
  .object({
    ok: z.boolean(),
    externalId: z.string().nullable(),
    answer: z.string().meta({ description: "The provider's answer: its message id, or its error" }),
  })
  .meta({ id: 'ChannelTestResult' });
