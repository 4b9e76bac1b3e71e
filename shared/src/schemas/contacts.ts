import { z } from 'zod';
import { Attributes, Cursor, Id, Limit, Line, Timestamp } from './common';

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
    visitorInfo: VisitorInfo.nullable().optional(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const ContactListQuery = z.strictObject({ q: z.string().trim().min(1).max(200).optional(), limit: Limit, cursor: Cursor });

export const ContactImport = z
  .strictObject({
    rows: z
      .array(ContactInput)
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
