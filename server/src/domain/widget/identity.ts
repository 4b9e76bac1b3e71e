import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';

/** hex(HMAC-SHA256(secret, userId)), what a site's backend computes to vouch for its signed-in user. */
export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

export type VerifyIdentityProps = { secret: string; userId: string; hash: string | undefined };

/** Constant-time check of a site's identity hash. */
export function verifyIdentity({ secret, userId, hash }: VerifyIdentityProps): boolean {
  if (!hash || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(identityHash(secret, userId), 'hex');
  return timingSafeEqual(expected, Buffer.from(hash.toLowerCase(), 'hex'));
}

export interface VerifiedIdentity {
  id: string;
  email?: string | undefined;
  name?: string | undefined;
}

/**
 * A site's signed identity token: a JWT (HS256) signed with the inbox's identity secret, naming the user
 * in `sub` (optionally `email` and `name`) and expiring (`exp` is required, so a leaked token does not
 * vouch forever). Anything else — wrong key, other algorithm, expired, no expiry — is not an identity.
 */
export async function verifyIdentityToken(secret: string, token: string): Promise<VerifiedIdentity | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 30,
    });
    if (typeof payload.sub !== 'string' || !payload.sub || payload.sub.length > 200) return null;
    const str = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
    return { id: payload.sub, email: str(payload.email, 320), name: str(payload.name, 200) };
  } catch {
    return null;
  }
}
