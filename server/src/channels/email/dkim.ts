import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { AppError } from '@autocrm/shared';
import type { StoredDkim } from './inbox-addresses';
import type { SecretBox } from './secret-box';

/**
 * A DKIM key pair for an inbox: the admin's own private key (PEM), or a fresh 2048-bit RSA key when
 * none is given; the public half is kept beside it so settings can show the DNS record to publish.
 */
export function makeDkimKey(privatePem: string | undefined): { privateKey: string; publicKey: string } {
  if (privatePem === undefined) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
  }
  try {
    const key = createPrivateKey(privatePem);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ed25519') throw new Error('unsupported key type');
    return {
      privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'),
    };
  } catch {
    throw new AppError('validation_failed', 'dkim.privateKey: not an RSA or Ed25519 private key in PEM form', [
      { path: 'dkim.privateKey', message: 'not a PEM private key' },
    ]);
  }
}

/** The TXT record receivers look the public key up in. */
export function dkimDnsRecord(dkim: StoredDkim): { dnsName: string; dnsValue: string } {
  const der = Buffer.from(dkim.publicKey, 'base64');
  const type = createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType;
  // Ed25519 records carry the raw 32-byte key (RFC 8463), not the SPKI wrapping.
  const p = type === 'ed25519' ? der.subarray(der.length - 32).toString('base64') : dkim.publicKey;
  return {
    dnsName: `${dkim.selector}._domainkey.${dkim.domain}`,
    dnsValue: `v=DKIM1; k=${type === 'ed25519' ? 'ed25519' : 'rsa'}; p=${p}`,
  };
}

/** nodemailer's `dkim` option for an inbox that signs. */
export function dkimOption(dkim: StoredDkim | undefined, box: SecretBox) {
  if (!dkim) return undefined;
  return { domainName: dkim.domain, keySelector: dkim.selector, privateKey: box.open(dkim.privateKeySealed) };
}
