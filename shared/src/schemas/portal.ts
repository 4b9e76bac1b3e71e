import { z } from 'zod';
import { CustomFieldType, StatusCategory } from '../enums';
import { Line, Timestamp } from './common';
import { CustomFieldValues } from './conversations';
import { AttachmentInput, MAX_MESSAGE_CHARS } from './messages';

/**
 * The customer portal's API (/api/v1/portal/...): customers, not agents. A portal session is its own
 * token (`X-Portal-Session`), never the agents' cookie, so a customer cannot reach agent operations.
 */

const Email = z.string().trim().toLowerCase().pipe(z.email().max(320));

export const PortalLinkRequest = z.strictObject({ email: Email }).meta({ id: 'PortalLinkRequest' });
export const PortalLinkRequested = z
  .object({ message: z.string().meta({ description: 'The same answer whether or not the address is known' }) })
  .meta({ id: 'PortalLinkRequested' });

export const PortalLinkRedeem = z.strictObject({ token: z.string().min(10).max(200) }).meta({ id: 'PortalLinkRedeem' });
export const PortalPasswordSignIn = z
  .strictObject({ email: Email, password: z.string().min(1).max(200) })
  .meta({ id: 'PortalPasswordSignIn' });
export const PortalIdentitySignIn = z
  .strictObject({
    websiteToken: z.string().min(1).max(200).meta({ description: "The widget's website token (which inbox vouches)" }),
    userId: z.string().min(1).max(200).optional(),
    hash: z.string().max(200).optional().meta({ description: 'hex HMAC-SHA256(identity secret, userId)' }),
    token: z.string().max(4000).optional().meta({ description: 'or a JWT (HS256, sub, exp) signed with the identity secret' }),
  })
  .meta({ id: 'PortalIdentitySignIn' });

export const PortalSession = z
  .object({
    sessionToken: z.string().meta({ description: 'Send as X-Portal-Session on every portal call' }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'PortalSession' });

export const PortalLiveToken = z
  .object({
    token: z.string().meta({ description: 'Connect to the /widget socket namespace with auth { portalLive: token }' }),
  })
  .meta({ id: 'PortalLiveToken' });

export const PortalBranding = z
  .object({
    name: z.string(),
    primaryColor: z.string().regex(/^#[0-9a-f]{6}$/i),
    logoUrl: z.string().nullable(),
    helpCenterUrl: z.string(),
  })
  .meta({ id: 'PortalBranding' });

export const PortalSettings = PortalBranding.extend({
  inboxId: z.string().nullable().meta({ description: 'Where tickets opened in the portal land (default: the first web inbox)' }),
}).meta({ id: 'PortalSettings' });

export const PortalSettingsUpdate = z
  .strictObject({
    name: Line(80).optional(),
    primaryColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2f5bea')
      .optional(),
    inboxId: z.uuid().nullable().optional(),
    logo: z
      .strictObject({
        contentType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif']),
        base64: z.string().max(300_000),
      })
      .nullable()
      .optional()
      .meta({ description: 'A PNG, JPEG, WebP or GIF up to 200 KB; null removes the logo' }),
  })
  .meta({ id: 'PortalSettingsUpdate' });

export const PortalNotificationPrefs = z
  .strictObject({ emailReplies: z.boolean(), emailStatus: z.boolean(), push: z.boolean() })
  .meta({ id: 'PortalNotificationPrefs' });

export const PortalMe = z
  .object({
    contact: z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      locale: z.string().nullable(),
    }),
    hasPassword: z.boolean(),
  })
  .meta({ id: 'PortalMe' });

export const PortalProfileUpdate = z
  .strictObject({
    name: Line(200).optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2}$/)
      .nullable()
      .optional(),
  })
  .meta({ id: 'PortalProfileUpdate' });

export const PortalPasswordSet = z
  .strictObject({ password: z.string().min(10, 'at least 10 characters').max(200) })
  .meta({ id: 'PortalPasswordSet' });

export const PortalTicket = z
  .object({
    id: z.string(),
    number: z.number().int(),
    subject: z.string().nullable(),
    status: z.object({ name: z.string(), category: StatusCategory }),
    channel: z.string(),
    createdAt: Timestamp,
    lastActivityAt: Timestamp,
    assigneeFirstName: z.string().nullable().meta({ description: "The assigned agent's first name only" }),
    csatRating: z.number().int().nullable(),
  })
  .meta({ id: 'PortalTicket' });

export const PortalMessage = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    from: z.enum(['you', 'agent', 'bot', 'system']),
    authorName: z.string().nullable().meta({ description: "An agent's first name" }),
    bodyHtml: z.string(),
    bodyText: z.string(),
    attachments: z.array(AttachmentInput),
    createdAt: Timestamp,
  })
  .meta({ id: 'PortalMessage' });

export const PortalTicketDetail = z
  .object({ ticket: PortalTicket, messages: z.array(PortalMessage) })
  .meta({ id: 'PortalTicketDetail' });
export type PortalTicket = z.infer<typeof PortalTicket>;
export type PortalTicketDetail = z.infer<typeof PortalTicketDetail>;

export const PortalReply = z
  .strictObject({
    body: z.string().max(MAX_MESSAGE_CHARS).default(''),
    clientId: z.string().min(1).max(100).optional(),
    attachments: z.array(AttachmentInput).max(10).optional(),
  })
  .meta({ id: 'PortalReply' });

export const PortalField = z
  .object({ key: z.string(), label: z.string(), type: CustomFieldType, options: z.array(z.string()), required: z.boolean() })
  .meta({ id: 'PortalField' });

export const PortalTicketCreate = z
  .strictObject({
    subject: Line(300),
    description: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
    locale: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    customFields: CustomFieldValues.optional(),
    attachments: z.array(AttachmentInput).max(10).optional(),
    clientId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'PortalTicketCreate' });

export const PortalRating = z
  .strictObject({ rating: z.number().int().min(1).max(5), comment: z.string().max(2000).optional() })
  .meta({ id: 'PortalRating' });
