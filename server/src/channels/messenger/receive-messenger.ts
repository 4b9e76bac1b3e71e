import type { ChannelStatusEvent } from '@autocrm/shared';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Config } from '../../config';
import { findContactByIdentity } from '../../domain/contacts/identities';
import { uploadPath } from '../../domain/widget/upload-links';
import { storeUpload, UPLOAD_MAX_BYTES, type UploadLocation } from '../../domain/widget/uploads';
import type { Db } from '../../storage/db';
import { downloadFromHosts } from '../graph/graph-api';
import { recordDeliveryStatus } from '../messaging/delivery-status';
import { storeInbound } from '../messaging/store-inbound';
import type { MessengerInbox } from './messenger-settings';
import { MessagingEvent, type MessengerWebhook } from './webhook-payload';

export interface ReceiveMessengerContext {
  db: Db;
  config: Config;
  attachmentsDir: UploadLocation;
  publicBaseUrl: string;
  logger: Logger;
}

const MEDIA = new Set(['image', 'video', 'audio', 'file']);

/**
 * One verified webhook delivery of the Messenger Platform: each customer message (text, attachments,
 * quick replies, postbacks) stored under the sender's PSID (Instagram: IGSID) as that page's identity,
 * once per message id; delivery and read receipts move our messages' states forward. Our own messages
 * echoed back are skipped. Returns the status changes to push.
 */
export async function receiveMessenger(
  ctx: ReceiveMessengerContext,
  inbox: MessengerInbox,
  payload: z.infer<typeof MessengerWebhook>,
): Promise<{ stored: number; statuses: ChannelStatusEvent[] }> {
  const instagram = payload.object === 'instagram';
  const ours = new Set([inbox.pageId, ...(inbox.instagramAccountId ? [inbox.instagramAccountId] : [])]);
  let stored = 0;
  const statuses: ChannelStatusEvent[] = [];
  for (const entry of payload.entry) {
    // An entry for another page of the same app is not this inbox's.
    if (!ours.has(entry.id)) continue;
    for (const raw of entry.messaging ?? []) {
      const parsed = MessagingEvent.safeParse(raw);
      if (!parsed.success) continue;
      const e = parsed.data;
      const psid = e.sender.id;
      // When the customer sent it (ms), which the 24-hour window counts from.
      const sentAt = e.timestamp && e.timestamp > 0 ? new Date(e.timestamp) : undefined;
      if (e.message && !e.message.is_echo) {
        const { text, attachments } = await contentOf(ctx, e.message);
        const kind = instagram ? ('instagram' as const) : ('messenger' as const);
        const identity = { kind, value: psid, inboxId: inbox.id };
        const known = await findContactByIdentity(ctx.db, [identity]);
        const outcome = await storeInbound(ctx.db, {
          inboxId: inbox.id,
          provider: 'messenger',
          externalId: e.message.mid,
          from: psid,
          to: e.recipient.id,
          identities: [identity],
          text,
          attachments,
          contactName: known ? undefined : await profileName(ctx, inbox, psid, instagram),
          sentAt,
          payload: instagram ? { instagram: true } : undefined,
        });
        if (outcome.kind === 'stored') stored += 1;
      } else if (e.postback) {
        const outcome = await storeInbound(ctx.db, {
          inboxId: inbox.id,
          provider: 'messenger',
          externalId: e.postback.mid ?? `postback:${psid}:${e.timestamp ?? Date.now()}`,
          from: psid,
          to: e.recipient.id,
          identities: [{ kind: instagram ? 'instagram' : 'messenger', value: psid, inboxId: inbox.id }],
          text: e.postback.title ?? e.postback.payload ?? '(a button)',
          attachments: [],
          sentAt,
          payload: instagram ? { instagram: true } : undefined,
        });
        if (outcome.kind === 'stored') stored += 1;
      }
      if (e.delivery) {
        const mids = e.delivery.mids?.length
          ? e.delivery.mids
          : await sentBefore(ctx.db, inbox.id, psid, e.delivery.watermark, ['sent']);
        for (const mid of mids) await status(ctx, inbox, mid, 'delivered', statuses);
      }
      if (e.read) {
        const mids = e.read.mid
          ? [e.read.mid]
          : await sentBefore(ctx.db, inbox.id, psid, e.read.watermark ?? 0, ['sent', 'delivered']);
        for (const mid of mids) await status(ctx, inbox, mid, 'read', statuses);
      }
    }
  }
  return { stored, statuses };
}

async function status(
  ctx: ReceiveMessengerContext,
  inbox: MessengerInbox,
  externalId: string,
  state: string,
  out: ChannelStatusEvent[],
) {
  const event = await recordDeliveryStatus(ctx.db, { provider: 'messenger', inboxId: inbox.id, externalId, status: state });
  if (event) out.push(event);
}

/** Messenger's receipts name a watermark: every message we sent the customer before it. */
async function sentBefore(db: Db, inboxId: string, psid: string, watermark: number, states: ('sent' | 'delivered')[]) {
  const rows = await db
    .selectFrom('channel_messages')
    .select('external_id')
    .where('provider', '=', 'messenger')
    .where('direction', '=', 'out')
    .where('inbox_id', '=', inboxId)
    .where('to_address', '=', psid)
    .where('status', 'in', states)
    .where('external_id', 'is not', null)
    .where('created_at', '<=', new Date(watermark))
    .limit(500)
    .execute();
  return rows.map((r) => r.external_id!);
}

async function contentOf(ctx: ReceiveMessengerContext, m: NonNullable<MessagingEvent['message']>) {
  const attachments: { name: string; contentType: string; size: number; url: string }[] = [];
  const lines: string[] = [];
  if (m.text) lines.push(m.text);
  for (const [i, a] of (m.attachments ?? []).entries()) {
    if (a.type === 'location' && a.payload?.coordinates) {
      const { lat, long } = a.payload.coordinates;
      lines.push(`📍 https://www.openstreetmap.org/?mlat=${lat}&mlon=${long}`);
      continue;
    }
    const url = a.payload?.url;
    if (!url || !MEDIA.has(a.type)) {
      if (a.type !== 'fallback') lines.push(`(a ${a.type} that cannot be shown here)`);
      else if (url) lines.push(url);
      continue;
    }
    try {
      const file = await downloadFromHosts(url, {
        allowedHosts: ctx.config.MESSENGER_MEDIA_HOSTS,
        maxBytes: UPLOAD_MAX_BYTES,
        product: 'Meta',
      });
      const contentType = (file.contentType ?? 'application/octet-stream').split(';')[0]!.trim();
      const stored = await storeUpload(ctx.attachmentsDir, { name: `${a.type}-${i + 1}`, contentType, bytes: file.bytes });
      attachments.push({
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
        url: `${ctx.publicBaseUrl}${uploadPath(stored)}`,
      });
    } catch (err) {
      ctx.logger.info({ err: (err as Error).message, type: a.type }, 'Messenger attachment not stored');
      lines.push(`(an ${a.type === 'image' ? 'image' : `${a.type} file`} could not be received)`);
    }
  }
  return { text: lines.join('\n'), attachments };
}

/** The customer's name from the User Profile API, for a new contact; none when Meta does not say. */
async function profileName(ctx: ReceiveMessengerContext, inbox: MessengerInbox, psid: string, instagram: boolean) {
  try {
    const fields = instagram ? 'name,username' : 'first_name,last_name';
    const res = await fetch(
      `${ctx.config.MESSENGER_GRAPH_BASE_URL.replace(/\/$/, '')}/${encodeURIComponent(psid)}?fields=${fields}`,
      { headers: { authorization: `Bearer ${inbox.pageAccessToken}` }, signal: AbortSignal.timeout(5_000) },
    );
    if (!res.ok) return undefined;
    const p = (await res.json()) as { first_name?: string; last_name?: string; name?: string; username?: string };
    return (p.name ?? [p.first_name, p.last_name].filter(Boolean).join(' ')) || p.username || undefined;
  } catch {
    return undefined;
  }
}
