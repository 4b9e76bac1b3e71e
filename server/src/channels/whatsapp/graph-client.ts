import { downloadFromHosts, postGraphMessage } from '../graph/graph-api';
import type { ProviderOutcome } from '../messaging/channel-sender';
import type { WhatsAppInbox } from './whatsapp-settings';

// The WhatsApp Cloud API (Meta's Graph API) as we use it: send a message, download a media file.
// The inbox's bearer token; the base URL (with its version) is WHATSAPP_GRAPH_BASE_URL. The Graph parts
// Messenger shares (request, errors, media hosts) are in channels/graph.

export type WhatsAppOutgoing =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'image'; image: { link: string; caption?: string } }
  | { type: 'document'; document: { link: string; filename?: string; caption?: string } }
  | {
      type: 'template';
      template: {
        name: string;
        language: { code: string };
        components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
      };
    };

export function sendWhatsApp(
  baseUrl: string,
  inbox: WhatsAppInbox,
  to: string,
  message: WhatsAppOutgoing,
): Promise<ProviderOutcome> {
  return postGraphMessage({
    url: `${baseUrl.replace(/\/$/, '')}/${encodeURIComponent(inbox.phoneNumberId)}/messages`,
    accessToken: inbox.accessToken,
    body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message },
    product: 'WhatsApp',
    idOf: (answer) => (answer.messages as { id?: string }[] | undefined)?.[0]?.id,
  });
}

/**
 * One inbound media file: its URL is asked of the Graph API by id, then downloaded with the same token
 * from Meta's media host only (WHATSAPP_MEDIA_HOSTS), never more than `maxBytes`.
 */
export async function downloadWhatsAppMedia(
  baseUrl: string,
  mediaId: string,
  props: { inbox: WhatsAppInbox; allowedHosts: string[]; maxBytes: number },
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const auth = { authorization: `Bearer ${props.inbox.accessToken}` };
  const meta = await fetch(`${baseUrl.replace(/\/$/, '')}/${encodeURIComponent(mediaId)}`, {
    headers: auth,
    signal: AbortSignal.timeout(15_000),
  });
  if (!meta.ok) throw new Error(`media lookup answered ${meta.status}`);
  const info = (await meta.json()) as { url?: string; mime_type?: string; file_size?: number };
  if (!info.url) throw new Error('media lookup gave no URL');
  if ((info.file_size ?? 0) > props.maxBytes) throw new Error('media larger than the upload limit');
  const file = await downloadFromHosts(info.url, {
    allowedHosts: props.allowedHosts,
    maxBytes: props.maxBytes,
    headers: auth,
    product: 'Meta',
  });
  return { bytes: file.bytes, contentType: info.mime_type ?? file.contentType ?? 'application/octet-stream' };
}
