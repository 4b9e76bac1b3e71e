import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../storage/db';

/**
 * Every signature we hand out, in one place: HMAC-SHA256 under a server secret over `<purpose>:<payload>`
 * (and `.<expiry>` when the token ends). The purpose is bound into the MAC, so a signature made for one
 * purpose never verifies for another, even where two purposes share a secret (thread and CSAT tokens).
 *
 * The encoding and length of each purpose are the ones its tokens had before this helper existed:
 * unsubscribe links and reply addresses already sit in customers' mailboxes and must keep working.
 * Hex where a token travels in a mail address or a path a mail client may lowercase.
 */
const FORMATS = {
  'portal-live': { encoding: 'hex', length: 32 },
  unsub: { encoding: 'hex', length: 24 },
  conv: { encoding: 'hex', length: 20 },
  csat: { encoding: 'base64url', length: 32 },
  upload: { encoding: 'base64url', length: 22 },
} as const;

export type TokenPurpose = keyof typeof FORMATS;

/** What verify found: `expired` only for a valid signature whose expiry has passed. */
export type Verdict = 'valid' | 'invalid' | 'expired';

function mac(secret: string, purpose: TokenPurpose, payload: string, expiresAt?: number): string {
  const { encoding, length } = FORMATS[purpose];
  const signed = expiresAt === undefined ? payload : `${payload}.${expiresAt}`;
  return createHmac('sha256', secret).update(`${purpose}:${signed}`).digest(encoding).slice(0, length);
}

/** The signature of `payload` for `purpose`; `expiresAt` (unix seconds) is signed with it when given. */
export function sign(secret: string, purpose: TokenPurpose, payload: string, expiresAt?: number): string {
  return mac(secret, purpose, payload, expiresAt);
}

/** Checks a signature in constant time; an expiring one must carry the same expiry it was signed with. */
export function verify(
  secret: string,
  purpose: TokenPurpose,
  payload: string,
  signature: string,
  opts: { expiresAt?: number | undefined; now?: number | undefined } = {},
): Verdict {
  if (opts.expiresAt !== undefined && !Number.isSafeInteger(opts.expiresAt)) return 'invalid';
  const expected = Buffer.from(mac(secret, purpose, payload, opts.expiresAt));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  if (opts.expiresAt !== undefined && opts.expiresAt * 1000 < (opts.now ?? Date.now())) return 'expired';
  return 'valid';
}

/** A 128-bit id written as 32 hex digits (what tokens carry) back in its dashed UUID form. */
export function uuidOfHex(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A signing secret kept under `key` in settings: made once by whichever process asks first, shared by all. */
export async function settingSecret(db: Db, key: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(randomBytes(32).toString('hex')), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return String(row.value);
}
