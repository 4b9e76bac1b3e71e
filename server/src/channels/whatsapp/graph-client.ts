import type { ProviderOutcome } from '../messaging/channel-sender';
import type { WhatsAppInbox } from './whatsapp-settings';

// The WhatsApp Cloud API (Meta's Graph API) as we use it: send a message, download a media file.
// Plain fetch with the inbox's bearer token; the base URL (with its version) is WHATSAPP_GRAPH_BASE_URL.

/** Graph error codes worth another try: throttling and temporary failures. */
const PASSING = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

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

export async function sendWhatsApp(
  baseUrl: string,
  inbox: WhatsAppInbox,
  to: string,
  message: WhatsAppOutgoing,
): Promise<ProviderOutcome> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl.replace(/\/$/, '')}/${encodeURIComponent(inbox.phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${inbox.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    return { ok: false, retry: true, reason: `WhatsApp could not be reached (${(err as Error).name})`, code: null };
  }
  const body = (await res.json().catch(() => ({}))) as {
    messages?: { id: string }[];
    error?: { message?: string; code?: number; error_data?: { details?: string } };
  };
  const id = body.messages?.[0]?.id;
  if (res.ok && id) return { ok: true, externalId: id };
  const code = body.error?.code ?? null;
  const retry = res.status === 429 || res.status >= 500 || (code !== null && PASSING.has(code));
  const detail = body.error?.error_data?.details ?? body.error?.message ?? res.statusText;
  return { ok: false, retry, reason: `WhatsApp ${res.status}${code ? ` (${code})` : ''}: ${detail.slice(0, 300)}`, code };
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
  const u = new URL(info.url);
  if (!['https:', 'http:'].includes(u.protocol) || !props.allowedHosts.includes(u.hostname.toLowerCase()))
    throw new Error(`media host ${u.hostname} is not Meta's`);
  if ((info.file_size ?? 0) > props.maxBytes) throw new Error('media larger than the upload limit');
  const res = await fetch(u, { headers: auth, redirect: 'error', signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`media download answered ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > props.maxBytes) throw new Error('media larger than the upload limit');
  return { bytes, contentType: info.mime_type ?? res.headers.get('content-type') ?? 'application/octet-stream' };
}
