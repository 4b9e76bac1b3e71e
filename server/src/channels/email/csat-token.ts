import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token in a CSAT mail's rating links: the conversation id signed with the server secret, so a
 * link rates exactly that one conversation and cannot be made for another by changing the id.
 */
export class CsatTokens {
  constructor(private readonly secret: string) {}

  private sign(hex: string) {
    return createHmac('sha256', this.secret).update(`csat:${hex}`).digest('base64url').slice(0, 32);
  }

  token(conversationId: string): string {
    const hex = conversationId.replace(/-/g, '');
    return `${hex}.${this.sign(hex)}`;
  }

  verify(token: string): string | undefined {
    const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{32})$/.exec(token);
    if (!m) return undefined;
    const a = Buffer.from(this.sign(m[1]!));
    const b = Buffer.from(m[2]!);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
    const h = m[1]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
