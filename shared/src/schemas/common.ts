import { z } from 'zod';

export const Id = z.uuid().meta({ description: 'UUID', example: '0b8e6a52-7d1f-4f7e-9e55-2c8f0d6c1a11' });
export const Timestamp = z.iso.datetime({ offset: true }).meta({ example: '2026-11-23T12:00:00.000Z' });

/**
 * Single-line user text: trimmed, bounded, no control characters. HTML is allowed through here and
 * neutralized where it is rendered or stored as rich text; plain fields are always rendered as text.
 */
export const Line = (max = 200) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

export const Limit = z.coerce.number().int().min(1).max(100).default(25);
export const Cursor = z.string().max(500).optional().meta({ description: 'Opaque cursor from `nextCursor`' });

/**
 * A named schema (one with `.meta({ id })`, a component of the OpenAPI document) or null. Never
 * `.nullable()` on such a schema: zod-to-openapi looks through the ZodNullable to the component's id, so
 * the first use it meets decides the shared component. Met nullable first, the component itself becomes
 * `type: [object, null]` and every use of it is nullable (EmailAddress was, in every `to` and `cc`); met
 * later, the use becomes `allOf: [$ref, { type: [..., null] }]`, which generated TypeScript reads as
 * never null. A union leaves the component exact and documents this use as `anyOf: [$ref, null]`.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` to get the next page; null at the end' }),
  });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Free-form attributes on contacts: flat scalar values only, so they stay filterable. */
export const Attributes = z
  .record(z.string().min(1).max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 100, 'at most 100 attributes');
