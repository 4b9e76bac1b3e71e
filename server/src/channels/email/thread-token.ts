import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../storage/db';

/**
 * Threading that cannot be forged: our outgoing Message-IDs and the plus-address of our Reply-To carry
 * the conversation id with an HMAC under a server secret. Only someone who received our mail knows a
 * valid one, so a stranger cannot write into another customer's conversation by guessing ids.
 */
export class ThreadTokens {
  constructor(private readonly secret: string) {}

  private sign(convHex: string): string {
    return createHmac('sha256', this.secret).update(`conv:${convHex}`).digest('hex').slice(0, 20);
  }

  /** `c<conversation hex><signature>`: fits in the local part of an address (≤ 64 chars). */
  token(conversationId: string): string {
    const hex = conversationId.replace(/-/g, '');
    return `c${hex}${this.sign(hex)}`;
  }

  /** The conversation id a token names, or undefined if it was not made by us. */
  verify(token: string): string | undefined {
    const m = /^c([0-9a-f]{32})([0-9a-f]{20})$/.exec(token.toLowerCase());
    if (!m) return undefined;
    const expected = Buffer.from(this.sign(m[1]!));
    const given = Buffer.from(m[2]!);
    if (!timingSafeEqual(expected, given)) return undefined;
    const h = m[1]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A fresh Message-ID for one outgoing mail of this conversation. */
  messageId(conversationId: string, domain: string): string {
    return `<${randomUUID().replace(/-/g, '')}.${this.token(conversationId)}@${domain}>`;
  }

  /** The conversation of one of our Message-IDs (`<unique.token@domain>`), if it is ours. */
  conversationOfMessageId(id: string): string | undefined {
    const m = /^<?[0-9a-f]{32}\.(c[0-9a-f]{52})@[^>]+>?$/i.exec(id.trim());
    return m ? this.verify(m[1]!) : undefined;
  }

  /** Whether a Message-ID looks like one we made (loop detection: our own mail coming back). */
  isOurs(id: string): boolean {
    return this.conversationOfMessageId(id) !== undefined;
  }
}

const SECRET_KEY = 'email.thread_secret';

/** The server secret, made once and shared by every process through the database. */
export async function loadChannelSecret(db: Db): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key: SECRET_KEY, value: JSON.stringify(randomBytes(32).toString('hex')), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', SECRET_KEY).executeTakeFirstOrThrow();
  return String(row.value);
}
