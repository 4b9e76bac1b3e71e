import type { SmsInbox } from './sms-settings';

// Twilio's REST API as we use it: send one message, fetch one inbound media file. Plain fetch with
// basic auth (the account SID and auth token), so a loopback stand-in speaking the same protocol
// runs the very same code in tests. The base URL is TWILIO_API_BASE_URL.

export interface SendSmsRequest {
  to: string;
  body: string;
  mediaUrls: string[];
  statusCallback: string;
}

import type { ProviderOutcome } from '../messaging/channel-sender';

const auth = (inbox: SmsInbox) => `Basic ${Buffer.from(`${inbox.accountSid}:${inbox.authToken}`).toString('base64')}`;

/** Error codes that mean the recipient asked not to be texted (the carrier or Twilio enforces it). */
export const OPTED_OUT_CODES = new Set([21610]);

export async function sendSms(baseUrl: string, inbox: SmsInbox, req: SendSmsRequest): Promise<ProviderOutcome> {
  const form = new URLSearchParams();
  form.set('To', req.to);
  if (inbox.messagingServiceSid) form.set('MessagingServiceSid', inbox.messagingServiceSid);
  else form.set('From', inbox.from ?? '');
  form.set('Body', req.body);
  for (const m of req.mediaUrls.slice(0, 10)) form.append('MediaUrl', m);
  form.set('StatusCallback', req.statusCallback);
  let res: Response;
  try {
    res = await fetch(`${baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(inbox.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: { authorization: auth(inbox), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    return { ok: false, retry: true, reason: `Twilio could not be reached (${(err as Error).name})`, code: null };
  }
  const body = (await res.json().catch(() => ({}))) as {
    sid?: string;
    status?: string;
    num_segments?: string;
    code?: number;
    message?: string;
  };
  if (res.ok && body.sid) {
    const segments = Number(body.num_segments);
    return { ok: true, externalId: body.sid, segments: Number.isFinite(segments) ? segments : null };
  }
  // 429 and 5xx pass; any other refusal (a bad number, an unverified sender) would fail again.
  const retry = res.status === 429 || res.status >= 500;
  const reason = `Twilio ${res.status}${body.code ? ` (${body.code})` : ''}: ${(body.message ?? res.statusText).slice(0, 300)}`;
  return { ok: false, retry, reason, code: typeof body.code === 'number' ? body.code : null };
}

/**
 * One inbound media file. Only from Twilio's own hosts (TWILIO_MEDIA_HOSTS), following its redirect
 * to its CDN by hand so that every hop is checked; never more than `maxBytes`.
 */
export async function fetchTwilioMedia(
  url: string,
  props: { inbox: SmsInbox; allowedHosts: string[]; maxBytes: number },
): Promise<{ bytes: Uint8Array; contentType: string }> {
  let current = url;
  for (let hop = 0; hop < 4; hop++) {
    const u = new URL(current);
    if (!['https:', 'http:'].includes(u.protocol) || !props.allowedHosts.includes(u.hostname.toLowerCase()))
      throw new Error(`media host ${u.hostname} is not one of Twilio's`);
    // Credentials only to the API host itself, never to a CDN it redirects to.
    const headers: Record<string, string> = hop === 0 ? { authorization: auth(props.inbox) } : {};
    const res = await fetch(current, { headers, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      current = new URL(res.headers.get('location')!, current).toString();
      continue;
    }
    if (!res.ok) throw new Error(`media fetch answered ${res.status}`);
    const declared = Number(res.headers.get('content-length'));
    if (declared > props.maxBytes) throw new Error('media larger than the upload limit');
    const reader = res.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > props.maxBytes) {
        await reader.cancel();
        throw new Error('media larger than the upload limit');
      }
      chunks.push(value);
    }
    return { bytes: Buffer.concat(chunks), contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }
  throw new Error('too many redirects fetching media');
}
