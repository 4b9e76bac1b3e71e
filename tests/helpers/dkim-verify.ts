import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * A DKIM verifier (RFC 6376, rsa-sha256, relaxed/relaxed as nodemailer signs) against the TXT record
 * text a receiver would look up. Written here because mailauth needs Node 22; it checks the body hash
 * and the signature over the signed headers exactly as a receiving server does.
 */
export function verifyDkim(raw: Buffer, dnsValue: string): { ok: boolean; domain?: string; selector?: string; reason?: string } {
  const text = raw.toString('binary');
  const split = text.indexOf('\r\n\r\n');
  const headerBlock = text.slice(0, split);
  const body = text.slice(split + 4);
  // Header fields with their folded continuation lines.
  const fields: string[] = [];
  for (const line of headerBlock.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  }
  const nameOf = (f: string) => f.slice(0, f.indexOf(':')).trim().toLowerCase();
  const relaxedHeader = (f: string) =>
    `${nameOf(f)}:${f
      .slice(f.indexOf(':') + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  const sigField = fields.find((f) => nameOf(f) === 'dkim-signature');
  if (!sigField) return { ok: false, reason: 'no DKIM-Signature' };
  const tags = Object.fromEntries(
    sigField
      .slice(sigField.indexOf(':') + 1)
      .replace(/\s+/g, '')
      .split(';')
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
  ) as Record<string, string>;
  if (tags.a !== 'rsa-sha256' || tags.c !== 'relaxed/relaxed')
    return { ok: false, reason: `unsupported a=${tags.a} c=${tags.c}` };

  let canonBody = body
    .split('\r\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n');
  canonBody = canonBody.replace(/(\r\n)*$/, '');
  canonBody = canonBody ? `${canonBody}\r\n` : '';
  const bh = createHash('sha256').update(Buffer.from(canonBody, 'binary')).digest('base64');
  if (bh !== tags.bh) return { ok: false, reason: 'body hash mismatch', domain: tags.d, selector: tags.s };

  const used = new Set<number>();
  const signed: string[] = [];
  for (const name of tags.h!.toLowerCase().split(':')) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (!used.has(i) && nameOf(fields[i]!) === name) {
        used.add(i);
        signed.push(`${relaxedHeader(fields[i]!)}\r\n`);
        break;
      }
    }
  }
  const sigWithoutB = relaxedHeader(sigField).replace(/([:;]\s*)b=[^;]*/, '$1b=');
  const data = Buffer.from(signed.join('') + sigWithoutB, 'binary');
  const p = /p=([A-Za-z0-9+/=]+)/.exec(dnsValue)?.[1];
  if (!p) return { ok: false, reason: 'no key in the DNS record' };
  const key = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
  const ok = verify('sha256', data, key, Buffer.from(tags.b!, 'base64'));
  return { ok, domain: tags.d, selector: tags.s, ...(ok ? {} : { reason: 'signature mismatch' }) };
}
