import { randomUUID } from 'node:crypto';
import { settingSecret, sign, uuidOfHex, verify } from '../../domain/security/signed-token';
import type { Db } from '../../storage/db';

/**
 * Threading that cannot be forged: our outgoing Message-IDs and the plus-address of our Reply-To carry
 * the conversation id with an HMAC under a server secret. Only someone who received our mail knows a
 * valid one, so a stranger cannot write into another customer's conversation by guessing ids.
 */
export class ThreadTokens {
  constructor(private readonly secret: string) {}

  /** `c<conversation hex><signature>`: fits in the local part of an address (≤ 64 chars). */
  token(conversationId: string): string {
    const hex = conversationId.replace(/-/g, '');
    return `c${hex}${sign(this.secret, 'conv', hex)}`;
  }

  /** The conversation id a token names, or undefined if it was not made by us. */
  verify(token: string): string | undefined {
    const m = /^c([0-9a-f]{32})([0-9a-f]{20})$/.exec(token.toLowerCase());
    if (!m) return undefined;
    return verify(this.secret, 'conv', m[1]!, m[2]!) === 'valid' ? uuidOfHex(m[1]!) : undefined;
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

/** The server secret, made once and shared by every process through the database. */
export const loadChannelSecret = (db: Db): Promise<string> => settingSecret(db, 'email.thread_secret');
