import {
  AppError,
  Id,
  Message,
  rooms,
  WhatsAppInboxSettings,
  WhatsAppInboxSettingsUpdate,
  WhatsAppTemplateSend,
  WhatsAppWindow,
} from '@autocrm/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import { assertCanSeeConversation } from '../../domain/access/gate';
import { actorOf } from '../../http/actor-of';
import type { App, AppDeps, AppEnv } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { isValidHubSignature } from './hub-signature';
import { receiveWhatsApp } from './receive-whatsapp';
import { sendWhatsAppTemplate } from './send-template';
import { windowClosesAt } from './service-window';
import { WhatsAppWebhook } from './webhook-payload';
import { getWhatsAppSettings, loadWhatsAppInbox, updateWhatsAppSettings, verifyTokenOf } from './whatsapp-settings';

const tags = ['WhatsApp'];

export function whatsAppRoutes(app: App, deps: AppDeps, onQueued: () => void = () => undefined) {
  const { db, config, logger } = deps;
  let box: SecretBox | undefined;
  const secretBox = async () => (box ??= new SecretBox(await loadChannelSecret(db)));
  const baseUrl = (c: Context<AppEnv>) => (config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '');
  const inboxIdOf = (c: Context<AppEnv>) => {
    const id = c.req.param('inboxId') ?? '';
    if (!Id.safeParse(id).success) throw new AppError('not_found', 'no such WhatsApp inbox');
    return id;
  };

  // Meta's subscription handshake: echo the challenge when the verify token is this inbox's.
  app.get('/channels/whatsapp/:inboxId', async (c) => {
    const token = await verifyTokenOf(db, inboxIdOf(c));
    const q = c.req.query();
    if (!token || q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== token)
      throw new AppError('forbidden', 'the verify token does not match this inbox');
    return c.text(q['hub.challenge'] ?? '', 200);
  });

  app.post('/channels/whatsapp/:inboxId', async (c) => {
    const inbox = await loadWhatsAppInbox(db, await secretBox(), inboxIdOf(c));
    if (!inbox) throw new AppError('not_found', 'no such WhatsApp inbox');
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (!isValidHubSignature(inbox.appSecret, c.req.header('x-hub-signature-256'), raw))
      throw new AppError('forbidden', 'the request is not signed with this inbox app secret');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('validation_failed', 'the body is not JSON');
    }
    const payload = WhatsAppWebhook.safeParse(body);
    // Signed but not a shape we read (another product's event): acknowledged, so Meta does not retry it.
    if (!payload.success || payload.data.object !== 'whatsapp_business_account') return c.body(null, 200);
    const result = await receiveWhatsApp(
      { db, config, attachmentsDir: uploadStoreFor(config), publicBaseUrl: baseUrl(c), logger },
      inbox,
      payload.data,
    );
    for (const e of result.statuses)
      deps.realtime?.io.of('/agent').to(rooms.conversation(e.conversationId)).to(rooms.supervisors).emit('channel:status', e);
    logger.info({ stored: result.stored, statuses: result.statuses.length }, 'WhatsApp webhook');
    return c.body(null, 200);
  });

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/whatsapp',
      tags,
      summary: "A WhatsApp inbox's Cloud API settings, its webhook URL and verify token, and its templates",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(WhatsAppInboxSettings, 'The WhatsApp settings (token and app secret are never returned)') },
    }),
    async (c) => c.json(await getWhatsAppSettings(db, { id: c.req.valid('param').id, publicBaseUrl: baseUrl(c) }), 200),
  );

  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}/whatsapp',
      tags,
      summary: 'Connect a WhatsApp inbox: phone number ID, access token and app secret (stored encrypted), templates',
      request: { params: z.object({ id: Id }), body: jsonBody(WhatsAppInboxSettingsUpdate) },
      responses: { 200: json(WhatsAppInboxSettings, 'The WhatsApp settings') },
    }),
    async (c) =>
      c.json(
        await updateWhatsAppSettings(db, {
          actor: actorOf(c),
          id: c.req.valid('param').id,
          input: c.req.valid('json'),
          box: await secretBox(),
          publicBaseUrl: baseUrl(c),
        }),
        200,
      ),
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/whatsapp/window',
      tags,
      summary: "Whether a free-form reply can reach the customer (WhatsApp's 24-hour window), and the templates",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(WhatsAppWindow, 'The window and the templates that can be sent') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { inboxId } = await assertCanSeeConversation(db, { actor: actorOf(c), conversationId: id });
      const inbox = await loadWhatsAppInbox(db, await secretBox(), inboxId);
      const closesAt = await windowClosesAt(db, id);
      return c.json(
        {
          open: Boolean(closesAt && closesAt.getTime() > Date.now()),
          closesAt: closesAt?.toISOString() ?? null,
          templates: inbox?.templates ?? [],
        },
        200,
      );
    },
  );

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/whatsapp/template',
      tags,
      summary: 'Send an approved WhatsApp template (the only message WhatsApp delivers outside the 24-hour window)',
      request: { params: z.object({ id: Id }), body: jsonBody(WhatsAppTemplateSend) },
      responses: { 201: json(Message, 'The message as stored in the room; it is sent as the template') },
    }),
    async (c) => {
      const { name, params } = c.req.valid('json');
      const message = await sendWhatsAppTemplate(db, {
        actor: actorOf(c),
        conversationId: c.req.valid('param').id,
        name,
        params,
        box: await secretBox(),
      });
      onQueued();
      return c.json(message, 201);
    },
  );
}
