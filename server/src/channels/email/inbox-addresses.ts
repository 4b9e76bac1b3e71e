import type { Db } from '../../storage/db';

export interface EmailInbox {
  id: string;
  name: string;
  /** The address customers write to (lower case). */
  address: string;
  /** Outgoing server of this inbox, when it has its own; else SMTP_URL. */
  smtp: StoredSmtp | undefined;
  /** Appended to every reply sent from this inbox (plain text). */
  signature: string | undefined;
  /** The provider's mailbox polled for mail, when mail does not come in by SMTP. */
  imap: StoredImap | undefined;
  /** How outgoing mail is signed, when it is. */
  dkim: StoredDkim | undefined;
  transcriptOnResolve: boolean;
  csatByEmail: boolean;
}

/** `settings.email.imap` as stored: the password sealed. */
export interface StoredImap {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  passwordSealed: string | null;
  mailbox: string;
  moveTo: string | null;
}

/** `settings.email.dkim` as stored: the private key sealed, the public one kept for the DNS record. */
export interface StoredDkim {
  domain: string;
  selector: string;
  privateKeySealed: string;
  publicKey: string;
}

/** What `settings.email` holds. */
export interface StoredEmailSettings {
  address?: string;
  signature?: string | null;
  smtp?: StoredSmtp | null;
  imap?: StoredImap | null;
  dkim?: StoredDkim | null;
  transcriptOnResolve?: boolean;
  csatByEmail?: boolean;
}

/** `settings.email.smtp` as stored: the password sealed (secret-box.ts). */
export interface StoredSmtp {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  passwordSealed: string | null;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** An email inbox's address: `settings.email.address`, or its name when the name is an address. */
export function inboxAddress(row: { name: string; settings: Record<string, unknown> }): string | undefined {
  const email = (row.settings.email ?? {}) as { address?: unknown };
  const address = typeof email.address === 'string' ? email.address : row.name;
  return EMAIL.test(address.trim()) ? address.trim().toLowerCase() : undefined;
}

export async function listEmailInboxes(db: Db): Promise<EmailInbox[]> {
  const rows = await db
    .selectFrom('inboxes')
    .select(['id', 'name', 'settings'])
    .where('channel', '=', 'email')
    .orderBy('created_at')
    .execute();
  const inboxes: EmailInbox[] = [];
  for (const r of rows) {
    const address = inboxAddress(r);
    if (!address) continue;
    const email = (r.settings.email ?? {}) as StoredEmailSettings;
    inboxes.push({
      id: r.id,
      name: r.name,
      address,
      smtp: email.smtp?.host ? email.smtp : undefined,
      signature: typeof email.signature === 'string' && email.signature ? email.signature : undefined,
      imap: email.imap?.host ? email.imap : undefined,
      dkim: email.dkim?.privateKeySealed ? email.dkim : undefined,
      transcriptOnResolve: email.transcriptOnResolve === true,
      csatByEmail: email.csatByEmail === true,
    });
  }
  return inboxes;
}

/** `support+c123…@acme.test` → `{ base: 'support@acme.test', tag: 'c123…' }`. */
export function splitPlusAddress(address: string): { base: string; tag: string | undefined } {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return { base: lower, tag: undefined };
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  if (plus < 0) return { base: lower, tag: undefined };
  return { base: `${local.slice(0, plus)}${lower.slice(at)}`, tag: local.slice(plus + 1) };
}

/** The address to reply to: the inbox address with the conversation's signed token as plus tag. */
export function replyToAddress(inboxAddress: string, token: string): string {
  const at = inboxAddress.lastIndexOf('@');
  return `${inboxAddress.slice(0, at)}+${token}${inboxAddress.slice(at)}`;
}

export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/**
 * Where mail for a contact goes: their address, or for a widget visitor the one they typed in the
 * offline form (kept apart as `unverifiedEmail`, since typing an address proves nothing about owning
 * it; we only mail their own conversation there, and they prove it by answering our signed Reply-To).
 */
export function deliveryAddress(contact: { email: string | null; attributes: Record<string, unknown> }): string | undefined {
  if (contact.email) return contact.email.toLowerCase();
  const typed = contact.attributes.unverifiedEmail;
  return typeof typed === 'string' && EMAIL.test(typed.trim()) ? typed.trim().toLowerCase() : undefined;
}
