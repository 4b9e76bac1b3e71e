import {
  Id,
  Message,
  MessengerInboxSettings,
  MessengerInboxSettingsUpdate,
  MessengerTaggedSend,
  MessengerWindow,
} from '@autocrm/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import { assertCanSeeConversation } from '../../domain/access/gate';
import { actorOf } from '../../http/actor-of';
import type { App, AppDeps, AppEnv } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import { channelSecretBox, graphWebhookRoutes, publicBaseUrlOf } from '../graph/graph-webhook-routes';
import { testSendRoute } from '../messaging/test-send';
import { messengerWindow } from './messaging-window';
import { getMessengerSettings, loadMessengerInbox, messengerVerifyTokenOf, updateMessengerSettings } from './messenger-settings';
import { receiveMessenger } from './receive-messenger';
import { sendMessenger } from './send-api';
import { sendMessengerTagged } from './send-tagged';
import { MessengerWebhook } from './webhook-payload';

const tags = ['Messenger'];

export function messengerRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;
  const secretBox = channelSecretBox(db);
  const baseUrl = (c: Context<AppEnv>) => publicBaseUrlOf(deps, c);
  // Messenger and Instagram deliveries alike.
  graphWebhookRoutes(app, deps, secretBox, {
    path: 'messenger',
    label: 'Messenger',
    verifyTokenOf: messengerVerifyTokenOf,
    loadInbox: loadMessengerInbox,
    payload: MessengerWebhook,
    accepts: (p) => ['page', 'instagram'].includes(p.object),
    receive: receiveMessenger,
  });

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/messenger',
      tags,
      summary: "A Messenger inbox's page, its webhook URL and verify token",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(MessengerInboxSettings, 'The Messenger settings (token and app secret are never returned)') },
    }),
    async (c) => c.json(await getMessengerSettings(db, { id: c.req.valid('param').id, publicBaseUrl: baseUrl(c) }), 200),
  );

  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}/messenger',
      tags,
      summary: 'Connect a Messenger inbox: page ID, page access token and app secret (stored encrypted), Instagram account',
      request: { params: z.object({ id: Id }), body: jsonBody(MessengerInboxSettingsUpdate) },
      responses: { 200: json(MessengerInboxSettings, 'The Messenger settings') },
    }),
    async (c) =>
      c.json(
        await updateMessengerSettings(db, {
          actor: actorOf(c),
          id: c.req.valid('param').id,
          input: c.req.valid('json'),
          box: await secretBox(),
          publicBaseUrl: baseUrl(c),
        }),
        200,
      ),
  );

  testSendRoute(app, db, {
    channel: 'messenger',
    tag: 'Messenger',
    label: 'Messenger',
    async send(inboxId, to, text) {
      const inbox = await loadMessengerInbox(db, await secretBox(), inboxId);
      return inbox && sendMessenger(config.MESSENGER_GRAPH_BASE_URL, inbox, to, { text });
    },
  });

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/messenger/window',
      tags,
      summary: "Whether a plain reply can reach the customer (Messenger's 24-hour window), and the tags allowed after it",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(MessengerWindow, 'The window and the message tags that can be sent') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await assertCanSeeConversation(db, { actor: actorOf(c), conversationId: id });
      return c.json(await messengerWindow(db, id), 200);
    },
  );

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/messenger/tagged',
      tags,
      summary: 'Reply with a message tag (HUMAN_AGENT ...): what Messenger delivers outside the 24-hour window',
      request: { params: z.object({ id: Id }), body: jsonBody(MessengerTaggedSend) },
      responses: { 201: json(Message, 'The message as stored in the room; it is sent with the tag') },
    }),
    async (c) => {
      const { body, tag } = c.req.valid('json');
      const message = await sendMessengerTagged(db, {
        actor: actorOf(c),
        conversationId: c.req.valid('param').id,
        body,
        tag,
      });
      return c.json(message, 201);
    },
  );
}
