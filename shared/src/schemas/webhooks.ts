import { z } from 'zod';
import { EVENT_TYPES } from '../events';
import { Cursor, Id, Limit, Line, Timestamp } from './common';

export const WebhookEventFilter = z.union([z.enum(EVENT_TYPES), z.literal('*')]);

export const WebhookCreate = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    events: z.array(WebhookEventFilter).min(1).max(50),
    description: Line(200).optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'WebhookCreate' });
export const WebhookUpdate = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    events: z.array(WebhookEventFilter).min(1).max(50).optional(),
    description: Line(200).nullable().optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'WebhookUpdate' });

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Webhook' });
export const WebhookCreated = Webhook.extend({
  secret: z.string().meta({ description: 'Signing secret (whsec_...), shown once' }),
}).meta({ id: 'WebhookCreated' });

export const WebhookDelivery = z
  .object({
    id: z.string().meta({ description: 'The webhook-id header: the same on every retry' }),
    webhookId: Id,
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });
export const WebhookDeliveryListQuery = z.strictObject({ limit: Limit, cursor: Cursor });
