import type { ChannelStatusEvent } from '@autocrm/shared';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Config } from '../../config';
import { uploadPath } from '../../domain/widget/upload-links';
import { storeUpload, UPLOAD_MAX_BYTES, type UploadLocation } from '../../domain/widget/uploads';
import type { Db } from '../../storage/db';
import { recordDeliveryStatus } from '../messaging/delivery-status';
import { storeInbound } from '../messaging/store-inbound';
import { downloadWhatsAppMedia } from './graph-client';
import { WhatsAppInboundMessage, WhatsAppStatus, type WhatsAppWebhook } from './webhook-payload';
import type { WhatsAppInbox } from './whatsapp-settings';

export interface ReceiveWhatsAppContext {
  db: Db;
  config: Config;
  attachmentsDir: UploadLocation;
  publicBaseUrl: string;
  logger: Logger;
}

const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

/**
 * One verified webhook delivery: every customer message in it stored (text, media, location, button and
 * list answers; anything else named by its type so the agent knows something came), every status of our
 * messages recorded. A message id Meta sends again is stored once. Returns the status changes to push.
 */
export async function receiveWhatsApp(
  ctx: ReceiveWhatsAppContext,
  inbox: WhatsAppInbox,
  payload: z.infer<typeof WhatsAppWebhook>,
): Promise<{ stored: number; statuses: ChannelStatusEvent[] }> {
  let stored = 0;
  const statuses: ChannelStatusEvent[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = change.value;
      // A payload for another number of the same business account is not this inbox's.
      if (value.metadata && value.metadata.phone_number_id !== inbox.phoneNumberId) continue;
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const raw of value.messages ?? []) {
        const parsed = WhatsAppInboundMessage.safeParse(raw);
        if (!parsed.success) continue;
        const m = parsed.data;
        const { text, attachments } = await contentOf(ctx, inbox, m);
        const outcome = await storeInbound(ctx.db, {
          inboxId: inbox.id,
          provider: 'whatsapp',
          externalId: m.id,
          from: `+${m.from.replace(/^\+/, '')}`,
          identities: [
            { kind: 'whatsapp', value: m.from },
            { kind: 'phone', value: `+${m.from.replace(/^\+/, '')}` },
          ],
          to: value.metadata?.display_phone_number ?? inbox.phoneNumberId,
          text,
          attachments,
          contactName: names.get(m.from),
          sentAt: sentAt(m.timestamp),
        });
        if (outcome.kind === 'stored') stored += 1;
      }
      for (const raw of value.statuses ?? []) {
        const parsed = WhatsAppStatus.safeParse(raw);
        if (!parsed.success) continue;
        const s = parsed.data;
        const err = s.errors?.[0];
        const event = await recordDeliveryStatus(ctx.db, {
          provider: 'whatsapp',
          inboxId: inbox.id,
          externalId: s.id,
          status: s.status,
          errorCode: err ? `${err.code ?? ''} ${err.title ?? ''}`.trim() : undefined,
        });
        if (event) statuses.push(event);
      }
    }
  }
  return { stored, statuses };
}

/** Meta's `timestamp` (seconds since the epoch, as a string) as a date; none when it is missing or odd. */
function sentAt(timestamp: string | undefined): Date | undefined {
  const seconds = Number(timestamp);
  return timestamp && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

async function contentOf(ctx: ReceiveWhatsAppContext, inbox: WhatsAppInbox, m: WhatsAppInboundMessage) {
  const attachments: { name: string; contentType: string; size: number; url: string }[] = [];
  if (m.text) return { text: m.text.body, attachments };
  if (m.location) {
    const { latitude: lat, longitude: lng, name, address } = m.location;
    const label = [name, address].filter(Boolean).join(', ');
    return { text: `📍 ${label ? `${label} ` : ''}https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}`, attachments };
  }
  if (m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    return { text: reply?.title ?? `(${m.interactive.type})`, attachments };
  }
  if (m.button) return { text: m.button.text, attachments };
  for (const type of MEDIA_TYPES) {
    const media = m[type];
    if (!media) continue;
    try {
      const file = await downloadWhatsAppMedia(ctx.config.WHATSAPP_GRAPH_BASE_URL, media.id, {
        inbox,
        allowedHosts: ctx.config.WHATSAPP_MEDIA_HOSTS,
        maxBytes: UPLOAD_MAX_BYTES,
      });
      const contentType = (media.mime_type ?? file.contentType).split(';')[0]!.trim();
      const stored = await storeUpload(ctx.attachmentsDir, { name: media.filename ?? type, contentType, bytes: file.bytes });
      attachments.push({
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
        url: `${ctx.publicBaseUrl}${uploadPath(stored)}`,
      });
      return { text: media.caption ?? '', attachments };
    } catch (err) {
      ctx.logger.info({ err: (err as Error).message, type }, 'WhatsApp media not stored');
      return { text: [media.caption, `(a ${type} could not be received)`].filter(Boolean).join('\n'), attachments };
    }
  }
  return { text: `(a WhatsApp message of type "${m.type}" that cannot be shown here)`, attachments };
}
