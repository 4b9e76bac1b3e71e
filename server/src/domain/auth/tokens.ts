import { createHash, randomBytes } from 'node:crypto';

/** A random secret with a readable prefix (e.g. `ak_`), 256 bits of entropy. */
export const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Tokens are stored only as SHA-256: high-entropy secrets need no slow hash, and a DB leak reveals none. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
