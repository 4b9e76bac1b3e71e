import { AppError, ChannelMessageList, Id, SmsInboxSettings, SmsInboxSettingsUpdate } from '@autocrm/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import { normalizeIdentity } from '../../domain/contacts/identities';
import { actorOf } from '../../http/actor-of';
import type { App, AppDeps, AppEnv } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { listChannelMessages, recordDeliveryStatus } from '../messaging/delivery-status';
import { testSendRoute } from '../messaging/test-send';
import { receiveSms } from './receive-sms';
import { getSmsInboxSettings, loadSmsInbox, updateSmsInboxSettings, webhookUrls } from './sms-settings';
import { sendSms } from './twilio-client';
import { isValidTwilioSignature } from './twilio-signature';

const tags = ['SMS'];
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export function smsRoutes(app: App, deps: AppDeps) {
  const { db, config, logger } = deps;
  let box: SecretBox | undefined;
  const secretBox = async () => (box ??= new SecretBox(await loadChannelSecret(db)));
  // The address Twilio called: PUBLIC_URL behind a proxy (the proxy's view of the URL is what Twilio signed).
  const calledUrl = (c: Context<AppEnv>) => {
    const u = new URL(c.req.url);
    return config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/$/, '')}${u.pathname}${u.search}` : u.toString();
  };
  const baseUrl = (c: Context<AppEnv>) => (config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '');

  /** Twilio's form parameters, verified against the inbox's auth token: 403 with nothing stored otherwise. */
  async function verified(c: Context<AppEnv>) {
    const inboxId = c.req.param('inboxId') ?? '';
    if (!Id.safeParse(inboxId).success) throw new AppError('not_found', 'no such SMS inbox');
    const inbox = await loadSmsInbox(db, await secretBox(), inboxId);
    if (!inbox) throw new AppError('not_found', 'no such SMS inbox');
    const form = new URLSearchParams(await c.req.text());
    const params: Record<string, string> = {};
    const all: Record<string, string | string[]> = {};
    for (const key of new Set(form.keys())) {
      const values = form.getAll(key);
      params[key] = values[0]!;
      all[key] = values.length > 1 ? values : values[0]!;
    }
    if (!isValidTwilioSignature(inbox.authToken, c.req.header('x-twilio-signature'), calledUrl(c), all))
      throw new AppError('forbidden', 'the request is not signed by Twilio for this inbox');
    return { inbox, params };
  }

  app.post('/channels/twilio/:inboxId/sms', async (c) => {
    const { inbox, params } = await verified(c);
    const outcome = await receiveSms(
      {
        db,
        attachmentsDir: uploadStoreFor(config),
        publicBaseUrl: () => baseUrl(c),
        mediaHosts: config.TWILIO_MEDIA_HOSTS,
        logger,
      },
      inbox,
      params,
    );
    logger.info({ outcome: outcome.kind }, 'inbound SMS');
    // An empty TwiML answer: we reply later, from the room, through the API.
    return c.body(EMPTY_TWIML, 200, { 'content-type': 'text/xml; charset=utf-8' });
  });

  app.post('/channels/twilio/:inboxId/status', async (c) => {
    const { inbox, params } = await verified(c);
    const sid = params.MessageSid ?? params.SmsSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (sid && status) {
      await recordDeliveryStatus(db, {
        provider: 'twilio',
        inboxId: inbox.id,
        externalId: sid,
        status,
        errorCode: params.ErrorCode,
      });
    }
    return c.body(null, 204);
  });

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/sms',
      tags,
      summary: "An SMS inbox's Twilio settings and the webhook URLs to paste into Twilio",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(SmsInboxSettings, 'The SMS settings (the auth token is never returned)') },
    }),
    async (c) => c.json(await getSmsInboxSettings(db, { id: c.req.valid('param').id, publicBaseUrl: baseUrl(c) }), 200),
  );

  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}/sms',
      tags,
      summary: 'Connect an SMS inbox to Twilio: account SID, auth token (stored encrypted), sender',
      request: { params: z.object({ id: Id }), body: jsonBody(SmsInboxSettingsUpdate) },
      responses: { 200: json(SmsInboxSettings, 'The SMS settings') },
    }),
    async (c) =>
      c.json(
        await updateSmsInboxSettings(db, {
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
      path: '/conversations/{id}/channel-messages',
      tags,
      summary: "How a conversation's messages crossed SMS (or another messaging channel): delivery state of each",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(ChannelMessageList, 'Each message in or out, oldest first') },
    }),
    async (c) =>
      c.json({ data: await listChannelMessages(db, { actor: actorOf(c), conversationId: c.req.valid('param').id }) }, 200),
  );

  testSendRoute(app, db, {
    channel: 'sms',
    tag: 'SMS',
    label: 'SMS',
    async send(inboxId, to, text, origin) {
      const inbox = await loadSmsInbox(db, await secretBox(), inboxId);
      return (
        inbox &&
        sendSms(config.TWILIO_API_BASE_URL, inbox, {
          // Typed by a person: "+49 151 2345-678" is the number Twilio knows as +491512345678.
          to: normalizeIdentity('phone', to),
          body: text,
          mediaUrls: [],
          statusCallback: webhookUrls((config.PUBLIC_URL ?? origin).replace(/\/$/, ''), inbox.id).status,
        })
      );
    },
  });
}
