import { sign, uuidOfHex, verify } from '../../domain/security/signed-token';

/**
 * The token in a CSAT mail's rating links: the conversation id signed with the server secret, so a
 * link rates exactly that one conversation and cannot be made for another by changing the id.
 */
export class CsatTokens {
  constructor(private readonly secret: string) {}

  token(conversationId: string): string {
    const hex = conversationId.replace(/-/g, '');
    return `${hex}.${sign(this.secret, 'csat', hex)}`;
  }

  verify(token: string): string | undefined {
    const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{32})$/.exec(token);
    if (!m) return undefined;
    return verify(this.secret, 'csat', m[1]!, m[2]!) === 'valid' ? uuidOfHex(m[1]!) : undefined;
  }
}
