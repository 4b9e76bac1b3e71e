import { AppError, type ChannelStatusEvent, Id } from '@autocrm/shared';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Config } from '../../config';
import type { UploadLocation } from '../../domain/widget/uploads';
import type { App, AppDeps, AppEnv } from '../../http/context';
import type { Db } from '../../storage/db';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { answerHubChallenge, readSignedWebhook } from './graph-api';

// The webhook glue WhatsApp Cloud and Messenger/Instagram share: Meta's subscription handshake (GET) and
// the signed deliveries (POST) on /channels/<channel>/:inboxId, read with the inbox's own app secret.
// Each channel says only how to load its inbox, which payloads it reads and how to store them.

/** What a channel's receive step gets: where to store, where attachments go, the URL they are served from. */
export interface GraphReceiveContext {
  db: Db;
  config: Config;
  attachmentsDir: UploadLocation;
  publicBaseUrl: string;
  logger: Logger;
}

/** What one Graph channel plugs into the shared webhook routes. */
export interface GraphWebhookChannel<Inbox extends { appSecret: string }, Payload extends z.ZodType> {
  /** The path segment: /channels/<path>/:inboxId. */
  path: string;
  /** The product name in errors and logs. */
  label: string;
  verifyTokenOf(db: Db, inboxId: string): Promise<string | undefined>;
  loadInbox(db: Db, box: SecretBox, inboxId: string): Promise<Inbox | undefined>;
  payload: Payload;
  /** Whether a well-formed payload is one this channel reads (its `object`). */
  accepts(payload: z.infer<Payload>): boolean;
  receive(
    ctx: GraphReceiveContext,
    inbox: Inbox,
    payload: z.infer<Payload>,
  ): Promise<{ stored: number; statuses: ChannelStatusEvent[] }>;
}

/** The channel secret box, opened once per route set (the key is read from the database on first use). */
export function channelSecretBox(db: Db): () => Promise<SecretBox> {
  let box: SecretBox | undefined;
  return async () => (box ??= new SecretBox(await loadChannelSecret(db)));
}

/** The public origin webhook and media URLs are built on: PUBLIC_URL, else the request's own origin. */
export const publicBaseUrlOf = (deps: AppDeps, c: Context<AppEnv>) =>
  (deps.config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '');

export function graphWebhookRoutes<Inbox extends { appSecret: string }, Payload extends z.ZodType>(
  app: App,
  deps: AppDeps,
  secretBox: () => Promise<SecretBox>,
  channel: GraphWebhookChannel<Inbox, Payload>,
) {
  const { db, config, logger } = deps;
  const notFound = () => new AppError('not_found', `no such ${channel.label} inbox`);
  // A malformed id is the same 404 as an unknown inbox: the URL names nothing here.
  const inboxIdOf = (c: Context<AppEnv>) => {
    const id = c.req.param('inboxId') ?? '';
    if (!Id.safeParse(id).success) throw notFound();
    return id;
  };

  // Meta's subscription handshake: echo the challenge when the verify token is this inbox's.
  app.get(`/channels/${channel.path}/:inboxId`, async (c) =>
    answerHubChallenge(c, await channel.verifyTokenOf(db, inboxIdOf(c))),
  );

  app.post(`/channels/${channel.path}/:inboxId`, async (c) => {
    const inbox = await channel.loadInbox(db, await secretBox(), inboxIdOf(c));
    if (!inbox) throw notFound();
    const payload = channel.payload.safeParse(await readSignedWebhook(c, inbox.appSecret));
    // Signed but not a shape we read (another product's event): acknowledged, so Meta does not retry it.
    if (!payload.success || !channel.accepts(payload.data)) return c.body(null, 200);
    const result = await channel.receive(
      { db, config, attachmentsDir: uploadStoreFor(config), publicBaseUrl: publicBaseUrlOf(deps, c), logger },
      inbox,
      payload.data,
    );
    logger.info({ stored: result.stored, statuses: result.statuses.length }, `${channel.label} webhook`);
    return c.body(null, 200);
  });
}
