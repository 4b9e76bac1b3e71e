import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

const ISSUER = 'AutoCRM';

/** A new TOTP key (base32, 160 bits) with what an authenticator app needs to add it. */
export async function newTotpKey(accountEmail: string) {
  const secret = generateSecret();
  const otpauthUrl = generateURI({ issuer: ISSUER, label: accountEmail, secret });
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, otpauthUrl, qrSvg };
}

/**
 * The time step a six-digit code matches (one step of clock drift either way), or undefined. A caller
 * accepts it only when it is later than the last accepted step, so a code overheard works at most once.
 */
export function totpStep(secret: string, code: string): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const r = verifySync({ secret, token: code, epochTolerance: 30 });
  // otplib's union also covers HOTP results; for TOTP a valid one carries the matched time step.
  return r.valid && 'timeStep' in r ? r.timeStep : undefined;
}
