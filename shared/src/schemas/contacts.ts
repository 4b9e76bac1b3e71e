import { z } from 'zod';
import { Attributes, Cursor, Id, Limit, Line, orNull, Timestamp } from './common';

export const ContactInput = z
  .strictObject({
    name: Line(200).optional(),
    email: z.email().max(320).toLowerCase().optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{4,30}$/, 'must be a phone number')
      .optional(),
    externalId: Line(200).optional(),
    attributes: Attributes.optional(),
    /** Set by hand; left out, a new contact joins the company whose domain is its email's. */
    companyId: Id.nullable().optional(),
    /** Values of contact custom fields (Settings → Custom fields, entity `contact`), by key; null clears one. */
    customFields: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ContactInput' });
export type ContactInput = z.infer<typeof ContactInput>;

export const ContactUpdate = ContactInput.extend({
  name: Line(200).nullable().optional(),
  email: z.email().max(320).toLowerCase().nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{4,30}$/, 'must be a phone number')
    .nullable()
    .optional(),
})
  .refine((u) => Object.keys(u).length > 0, 'at least one field to change')
  .meta({ id: 'ContactUpdate' });

/** What the widget knows about its page and browser, sent when it starts. */
export const VisitorInfoInput = z.strictObject({
  pageUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  pageTitle: z.string().trim().max(300).optional(),
  referrer: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional()
    .or(z.literal('')),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .max(35)
    .optional(),
  timeZone: z
    .string()
    .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/)
    .max(64)
    .optional(),
});

/** A widget visitor's context as the workspace shows it: the widget's words plus what the server read (browser, OS). */
export const VisitorInfo = VisitorInfoInput.extend({
  browser: z.string().nullable(),
  os: z.string().nullable(),
  seenAt: Timestamp,
  /** Pages this visit (the widget reports each page change; a report 30 min after the last starts a new visit). */
  pages: z
    .array(z.object({ url: z.string(), title: z.string().nullable(), at: Timestamp }))
    .max(20)
    .optional(),
  /** Where the visitor probably is, read from their time zone (no IP lookup): a city and a region, roughly. */
  location: z
    .object({ city: z.string(), region: z.string(), source: z.literal('time_zone') })
    .nullable()
    .optional(),
}).meta({ id: 'VisitorInfo' });
export type VisitorInfo = z.infer<typeof VisitorInfo>;

export const Contact = z
  .object({
    id: Id,
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    externalId: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    visitorInfo: orNull(VisitorInfo).optional(),
    companyId: Id.nullable().optional(),
    /** The company's name, for lists and cards. */
    companyName: z.string().nullable().optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const ContactListQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  companyId: Id.optional(),
  limit: Limit,
  cursor: Cursor,
});

/** A company (organisation): contacts join it by email domain when they are created, or by hand. */
const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain such as example.com');
export const Company = z
  .object({
    id: Id,
    name: z.string(),
    domain: z.string().nullable(),
    notes: z.string(),
    contacts: z.number().int().meta({ description: 'How many contacts belong to it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Company' });
export type Company = z.infer<typeof Company>;
export const CompanyInput = z
  .strictObject({
    name: Line(200),
    domain: Domain.nullable().optional().meta({ description: 'Contacts with an email at this domain join the company' }),
    notes: z.string().max(5000).optional(),
  })
  .meta({ id: 'CompanyInput' });
export const CompanyUpdate = CompanyInput.partial()
  .refine((u) => Object.keys(u).length > 0, 'at least one field to change')
  .meta({ id: 'CompanyUpdate' });
export const CompanyListQuery = z.strictObject({ q: z.string().trim().min(1).max(200).optional(), limit: Limit, cursor: Cursor });

export const ContactImport = z
  .strictObject({
    rows: z
      .array(
        ContactInput.extend({
          companyName: Line(200)
            .optional()
            .meta({ description: 'The company by name (case-insensitive); one that does not exist is created' }),
        }),
      )
      .min(1)
      .max(5000)
      .meta({ description: 'One contact per row; a row whose email matches a contact updates that contact' }),
  })
  .meta({ id: 'ContactImport' });
export type ContactImport = z.infer<typeof ContactImport>;

export const ContactImportResult = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    ids: z.array(Id).meta({ description: 'The contact of each row, in row order' }),
  })
  .meta({ id: 'ContactImportResult' });

export const ContactIdentityKind = z
  .enum(['email', 'phone', 'whatsapp', 'messenger', 'instagram', 'widget', 'external'])
  .meta({ id: 'ContactIdentityKind' });

export const ContactIdentity = z
  .object({
    id: Id,
    kind: ContactIdentityKind,
    value: z.string(),
    inboxId: Id.nullable().meta({ description: 'The inbox a page-scoped id (PSID, IGSID, widget user) belongs to' }),
    verified: z.boolean().meta({ description: 'Seen on the channel (or verified by the widget), not typed by an agent' }),
    createdAt: Timestamp,
  })
  .meta({ id: 'ContactIdentity' });

export const ContactIdentityInput = z
  .strictObject({
    kind: ContactIdentityKind,
    value: z.string().trim().min(1).max(320),
    inboxId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'email' && !z.email().safeParse(v.value).success)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be an email address' });
    if ((v.kind === 'phone' || v.kind === 'whatsapp') && !/^\+?[0-9 ()-]{4,30}$/.test(v.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a phone number' });
  })
  .meta({ id: 'ContactIdentityInput' });

export const ReplyChannelOption = z
  .object({
    inboxId: Id,
    inboxName: z.string(),
    channel: z.enum(['email', 'sms', 'whatsapp', 'messenger', 'web']),
    address: z.string().meta({ description: 'The email address, phone number, PSID/IGSID or "widget" the reply goes to' }),
    conversationId: Id.nullable().meta({
      description: 'The conversation the reply continues; null: POST /conversations/start opens one in that inbox',
    }),
    lastCustomerMessageAt: Timestamp.nullable(),
  })
  .meta({ id: 'ReplyChannelOption' });

export const ReplyChannels = z
  .object({
    defaultInboxId: Id.meta({ description: 'The inbox the customer last wrote on' }),
    options: z.array(ReplyChannelOption),
  })
  .meta({ id: 'ReplyChannels' });

export const ContactNote = z
  .object({
    id: Id,
    contactId: Id,
    body: z.string(),
    author: z
      .object({ id: Id, name: z.string() })
      .nullable()
      .meta({ description: 'The agent who wrote it; null when written through an API key or the account is gone' }),
    createdAt: Timestamp,
  })
  .meta({ id: 'ContactNote' });

export const ContactNoteInput = z
  .strictObject({ body: z.string().trim().min(1, 'must not be empty').max(5000) })
  .meta({ id: 'ContactNoteInput' });
