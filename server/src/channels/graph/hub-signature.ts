import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's webhook signature (`X-Hub-Signature-256: sha256=<hex>`): HMAC-SHA256 of the raw request body,
 * keyed by the app secret. The body must be the exact bytes received (re-serialised JSON differs).
 */
export function hubSignature(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function isValidHubSignature(appSecret: string, header: string | undefined, rawBody: string | Buffer): boolean {
  if (!header) return false;
  const expected = Buffer.from(hubSignature(appSecret, rawBody));
  const given = Buffer.from(header.trim().toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
