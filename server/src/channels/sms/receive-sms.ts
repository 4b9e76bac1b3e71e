import { MAX_MESSAGE_CHARS } from '@autocrm/shared';
import type { Logger } from 'pino';
import { uploadPath } from '../../domain/widget/upload-links';
import { storeUpload, UPLOAD_MAX_BYTES, type UploadLocation } from '../../domain/widget/uploads';
import type { Db } from '../../storage/db';
import { type StoreInboundOutcome, storeInbound } from '../messaging/store-inbound';
import { optInOutKeyword, setOptOut } from './opt-outs';
import type { SmsInbox } from './sms-settings';
import { fetchTwilioMedia } from './twilio-client';

export interface ReceiveSmsContext {
  db: Db;
  attachmentsDir: UploadLocation;
  publicBaseUrl: () => string;
  mediaHosts: string[];
  logger: Logger;
}

export type ReceiveSmsOutcome = StoreInboundOutcome | { kind: 'ignored'; reason: string };

/**
 * One verified inbound SMS/MMS (Twilio's webhook parameters), stored like any messaging-channel message
 * (`messaging/store-inbound.ts`). A redelivered MessageSid is stored once. STOP/START keywords record
 * the opt-out and are kept in the room like any text.
 */
export async function receiveSms(
  ctx: ReceiveSmsContext,
  inbox: SmsInbox,
  params: Record<string, string>,
): Promise<ReceiveSmsOutcome> {
  const sid = params.MessageSid ?? params.SmsSid;
  const from = params.From?.trim();
  if (!sid || !from) return { kind: 'ignored', reason: 'no MessageSid or From' };
  const text = (params.Body ?? '').slice(0, MAX_MESSAGE_CHARS);

  const already = await ctx.db
    .selectFrom('channel_messages')
    .select('id')
    .where('provider', '=', 'twilio')
    .where('direction', '=', 'in')
    .where('external_id', '=', sid)
    .executeTakeFirst();
  if (already) return { kind: 'duplicate' };

  // Media first, outside the transaction (plain files); one that cannot be fetched is named in the text.
  const { attachments, failed } = await fetchMedia(ctx, inbox, params);
  const body = [text, failed ? `(${failed} attachment${failed > 1 ? 's' : ''} could not be received)` : '']
    .filter(Boolean)
    .join('\n')
    .trim();

  const keyword = optInOutKeyword(text, params.OptOutType);
  return storeInbound(ctx.db, {
    inboxId: inbox.id,
    provider: 'twilio',
    externalId: sid,
    from,
    identities: [{ kind: 'phone', value: from }],
    to: params.To ?? '',
    text: body,
    attachments,
    alsoInTransaction: keyword
      ? (trx) => setOptOut(trx, { inboxId: inbox.id, address: from, optedOut: keyword === 'stop' })
      : undefined,
  });
}

async function fetchMedia(ctx: ReceiveSmsContext, inbox: SmsInbox, params: Record<string, string>) {
  const count = Math.min(Number(params.NumMedia ?? 0) || 0, 10);
  const attachments: { name: string; contentType: string; size: number; url: string }[] = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (!url) continue;
    try {
      const media = await fetchTwilioMedia(url, { inbox, allowedHosts: ctx.mediaHosts, maxBytes: UPLOAD_MAX_BYTES });
      const contentType = (params[`MediaContentType${i}`] ?? media.contentType).split(';')[0]!.trim();
      const stored = await storeUpload(ctx.attachmentsDir, {
        name: `${contentType.startsWith('image/') ? 'image' : 'file'}-${i + 1}`,
        contentType,
        bytes: media.bytes,
      });
      attachments.push({
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
        url: `${ctx.publicBaseUrl()}${uploadPath(stored)}`,
      });
    } catch (err) {
      failed += 1;
      ctx.logger.info({ err: (err as Error).message }, 'SMS media not stored');
    }
  }
  return { attachments, failed };
}
