import {
  Id,
  Message,
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
import { channelSecretBox, graphWebhookRoutes, publicBaseUrlOf } from '../graph/graph-webhook-routes';
import { testSendRoute } from '../messaging/test-send';
import { sendWhatsApp } from './graph-client';
import { receiveWhatsApp } from './receive-whatsapp';
import { sendWhatsAppTemplate } from './send-template';
import { windowClosesAt } from './service-window';
import { WhatsAppWebhook } from './webhook-payload';
import { getWhatsAppSettings, loadWhatsAppInbox, updateWhatsAppSettings, verifyTokenOf } from './whatsapp-settings';

const tags = ['WhatsApp'];

export function whatsAppRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;
  const secretBox = channelSecretBox(db);
  const baseUrl = (c: Context<AppEnv>) => publicBaseUrlOf(deps, c);
  graphWebhookRoutes(app, deps, secretBox, {
    path: 'whatsapp',
    label: 'WhatsApp',
    verifyTokenOf,
    loadInbox: loadWhatsAppInbox,
    payload: WhatsAppWebhook,
    accepts: (p) => p.object === 'whatsapp_business_account',
    receive: receiveWhatsApp,
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
      return c.json(message, 201);
    },
  );

  testSendRoute(app, db, {
    channel: 'whatsapp',
    tag: 'WhatsApp',
    label: 'WhatsApp',
    async send(inboxId, to, text) {
      const inbox = await loadWhatsAppInbox(db, await secretBox(), inboxId);
      return (
        inbox &&
        sendWhatsApp(config.WHATSAPP_GRAPH_BASE_URL, inbox, to.replace(/[^0-9]/g, ''), {
          type: 'text',
          text: { body: text, preview_url: false },
        })
      );
    },
  });
}
