import {
  Id,
  page,
  Webhook,
  WebhookCreate,
  WebhookCreated,
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookUpdate,
} from '@autocrm/shared';
import { z } from 'zod';
import { listDeliveries, redeliver } from '../../webhooks/delivery-log';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
} from '../../webhooks/subscriptions';
import { queueTestDelivery } from '../../webhooks/test-delivery';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const tags = ['Webhooks'];

export function webhookRoutes(app: App, { db, ssrfGuard }: AppDeps) {
  app.openapi(
    secured('webhooks:manage', {
      method: 'get',
      path: '/webhooks',
      tags,
      summary: 'List webhook subscriptions',
      responses: { 200: json(z.object({ data: z.array(Webhook) }), 'Webhooks') },
    }),
    async (c) => c.json({ data: await listWebhooks(db) }, 200),
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'post',
      path: '/webhooks',
      tags,
      summary: 'Subscribe a URL to events',
      description:
        'Payloads are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The secret is in this response only. Private, loopback and link-local targets are refused unless the operator allows them.',
      request: { body: jsonBody(WebhookCreate) },
      responses: { 201: json(WebhookCreated, 'The subscription and its secret') },
    }),
    async (c) => c.json(await createWebhook(db, ssrfGuard, actorOf(c), c.req.valid('json')), 201),
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'get',
      path: '/webhooks/{id}',
      tags,
      summary: 'Get a webhook subscription',
      request: { params: IdParam },
      responses: { 200: json(Webhook, 'The webhook') },
    }),
    async (c) => c.json(await getWebhook(db, c.req.valid('param').id), 200),
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'patch',
      path: '/webhooks/{id}',
      tags,
      summary: 'Change a subscription',
      request: { params: IdParam, body: jsonBody(WebhookUpdate) },
      responses: { 200: json(Webhook, 'The webhook') },
    }),
    async (c) => c.json(await updateWebhook(db, ssrfGuard, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'delete',
      path: '/webhooks/{id}',
      tags,
      summary: 'Delete a subscription and its delivery log',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteWebhook(db, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      tags,
      summary: 'Delivery log, newest first',
      request: { params: IdParam, query: WebhookDeliveryListQuery },
      responses: { 200: json(page(WebhookDelivery), 'Deliveries') },
    }),
    async (c) => c.json(await listDeliveries(db, c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'post',
      path: '/webhook-deliveries/{id}/redeliver',
      tags,
      summary: 'Send a delivery again (same webhook-id)',
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: json(WebhookDelivery, 'Queued') },
    }),
    async (c) => {
      const delivery = await redeliver(db, actorOf(c), c.req.valid('param').id);
      return c.json(delivery, 200);
    },
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'post',
      path: '/webhooks/{id}/test',
      operationId: 'sendWebhookTest',
      tags,
      summary: 'Send a test event',
      description:
        'Queues a signed `webhook.test` delivery (data: `webhookId`, `message`) to this webhook now (a paused webhook holds it until switched back on, like any delivery). It appears in the delivery log with its outcome and can be redelivered.',
      request: { params: IdParam },
      responses: { 202: json(WebhookDelivery, 'Queued') },
    }),
    async (c) => {
      const delivery = await queueTestDelivery(db, actorOf(c), c.req.valid('param').id);
      return c.json(delivery, 202);
    },
  );
  app.openapi(
    secured('webhooks:manage', {
      method: 'post',
      path: '/webhooks/{id}/rotate-secret',
      operationId: 'rotateWebhookSecret',
      tags,
      summary: "Replace a webhook's signing secret",
      description:
        'Returns a new `whsec_` secret, shown this once. Every request from now on, retries of older events included, is signed with it; the old secret stops at once. Audited.',
      request: { params: IdParam },
      responses: { 200: json(WebhookCreated, 'The webhook with its new secret') },
    }),
    async (c) => c.json(await rotateWebhookSecret(db, actorOf(c), c.req.valid('param').id), 200),
  );
}
