import { htmlToPlainText } from '../../domain/text/sanitize';

/**
 * A room message as a text message: plain text, with each link written out after its words (the bot
 * cites its articles as links, which a phone shows only as text), our own relative links made whole.
 */
export function messagingText(message: { bodyText: string; bodyHtml: string }, baseUrl?: string): string {
  if (!message.bodyHtml || !/<a\s/i.test(message.bodyHtml)) return (message.bodyText || htmlToPlainText(message.bodyHtml)).trim();
  const linked = message.bodyHtml.replace(/<a\s[^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, inner: string) => {
    const words = htmlToPlainText(inner).trim();
    const raw = href.replace(/&amp;/g, '&');
    // A link of our own (the help center) is relative in the room; a phone needs it whole.
    const url = raw.startsWith('/') && baseUrl ? `${baseUrl.replace(/\/$/, '')}${raw}` : raw;
    return !words || words === url ? url : `${inner} (${url})`;
  });
  return htmlToPlainText(linked).trim();
}
