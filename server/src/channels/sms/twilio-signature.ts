import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 HMAC-SHA1, keyed by the account's auth
 * token, over the full URL Twilio called followed by every POST parameter as name + value, sorted by
 * name. Checked against the official helper library's own function in tests/sms-twilio.test.ts.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  const data = Object.keys(params)
    .sort()
    .map((k) => {
      const v = params[k]!;
      // A repeated parameter contributes each value, in sorted order, after its name.
      return Array.isArray(v)
        ? [...v]
            .sort()
            .map((x) => k + x)
            .join('')
        : k + v;
    })
    .join('');
  return createHmac('sha1', authToken)
    .update(Buffer.from(url + data, 'utf8'))
    .digest('base64');
}

/**
 * Whether a signature is right for this URL. A proxy may add or drop the default port, so Twilio's
 * own validator accepts the URL with and without it; so do we. Compared in constant time.
 */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string | string[]>,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  return urlVariants(url).some((u) => {
    const expected = Buffer.from(twilioSignature(authToken, u, params));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

function urlVariants(url: string): string[] {
  const u = new URL(url);
  const defaultPort = u.protocol === 'https:' ? '443' : '80';
  if (u.port) {
    const without = new URL(url);
    without.port = '';
    return [url, without.toString()];
  }
  // The URL API drops a default port; write it back by hand.
  const withPort = `${u.protocol}//${u.username ? `${u.username}:${u.password}@` : ''}${u.hostname}:${defaultPort}${u.pathname}${u.search}`;
  return [url, withPort];
}
