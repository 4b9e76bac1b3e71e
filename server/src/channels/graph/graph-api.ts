import { AppError } from '@autocrm/shared';
import type { Context } from 'hono';
import type { ProviderOutcome } from '../messaging/channel-sender';
import { isValidHubSignature } from './hub-signature';

// What WhatsApp Cloud and Messenger/Instagram share of Meta's Graph API: the webhook subscription
// handshake, signed webhook bodies, the shape of a send and its errors, and downloading media only
// from Meta's hosts.

/** Graph error codes worth another try: throttling and temporary failures (both products). */
const PASSING = new Set([1, 2, 4, 17, 32, 613, 80006, 80007, 130429, 131000, 131016, 131048, 131056, 133004, 1200]);

/** Meta's subscription handshake (GET with hub.mode, hub.verify_token, hub.challenge): the challenge or a 403. */
export function answerHubChallenge(c: Context, verifyToken: string | undefined) {
  const q = c.req.query();
  if (!verifyToken || q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== verifyToken)
    throw new AppError('forbidden', 'the verify token does not match this inbox');
  return c.text(q['hub.challenge'] ?? '', 200);
}

/**
 * The body of a webhook POST, verified against X-Hub-Signature-256 over the exact bytes received;
 * unsigned or wrongly signed is a 403 before anything is read.
 */
export async function readSignedWebhook(c: Context, appSecret: string): Promise<unknown> {
  const raw = Buffer.from(await c.req.arrayBuffer());
  if (!isValidHubSignature(appSecret, c.req.header('x-hub-signature-256'), raw))
    throw new AppError('forbidden', 'the request is not signed with this inbox app secret');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('validation_failed', 'the body is not JSON');
  }
}

/**
 * One POST to a Graph endpoint that sends a message; `idOf` reads the new message's id from the answer.
 * Network errors, 429, 5xx and Meta's throttling codes are passing (retried by the sender).
 */
export async function postGraphMessage(props: {
  url: string;
  accessToken: string;
  body: unknown;
  product: string;
  idOf: (answer: Record<string, unknown>) => string | undefined;
}): Promise<ProviderOutcome> {
  let res: Response;
  try {
    res = await fetch(props.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${props.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(props.body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    return { ok: false, retry: true, reason: `${props.product} could not be reached (${(err as Error).name})`, code: null };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown> & {
    error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } };
  };
  const id = res.ok ? props.idOf(body) : undefined;
  if (res.ok && id) return { ok: true, externalId: id };
  const code = body.error?.code ?? null;
  const retry = res.status === 429 || res.status >= 500 || (code !== null && PASSING.has(code));
  const detail = body.error?.error_data?.details ?? body.error?.message ?? res.statusText;
  return {
    ok: false,
    retry,
    reason: `${props.product} ${res.status}${code ? ` (${code})` : ''}: ${detail.slice(0, 300)}`,
    code,
  };
}

/** Whether a host is in a list; an entry starting with a dot allows that domain's subdomains (".fbcdn.net"). */
export function hostAllowed(host: string, allowed: string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((a) => (a.startsWith('.') ? h.endsWith(a) && h.length > a.length : h === a));
}

/**
 * Downloads a media file from Meta's hosts only: every redirect hop is checked against the list, and
 * nothing larger than `maxBytes` is read whole.
 */
export async function downloadFromHosts(
  url: string,
  props: { allowedHosts: string[]; maxBytes: number; headers?: Record<string, string>; product: string },
): Promise<{ bytes: Uint8Array; contentType: string | null }> {
  let next = new URL(url);
  for (let hop = 0; hop < 4; hop++) {
    if (!['https:', 'http:'].includes(next.protocol) || !hostAllowed(next.hostname, props.allowedHosts))
      throw new Error(`media host ${next.hostname} is not ${props.product}'s`);
    const res = await fetch(next, { headers: props.headers ?? {}, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      next = new URL(res.headers.get('location')!, next);
      await res.body?.cancel();
      continue;
    }
    if (!res.ok) throw new Error(`media download answered ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > props.maxBytes) {
      await res.body?.cancel();
      throw new Error('media larger than the upload limit');
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > props.maxBytes) throw new Error('media larger than the upload limit');
    return { bytes, contentType: res.headers.get('content-type') };
  }
  throw new Error('media download redirected too often');
}
