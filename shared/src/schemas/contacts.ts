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
