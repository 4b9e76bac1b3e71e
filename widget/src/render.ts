/**
 * How message bodies become DOM, safely. Customer text is only ever text nodes (Lit `${}` bindings);
 * URLs in it become links with a checked href. Agent rich text is already sanitized by the server,
 * and on top of that it is rebuilt here element by element from an allowlist (never innerHTML into the
 * live page), and every link opens with rel=noopener.
 */
export type Segment = { text: string } | { text: string; href: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

/** Only web and mail links; anything else (javascript:, data:, ...) is refused. */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  return /^(https?:|mailto:)/i.test(trimmed) ? trimmed : null;
}

/** Plain text split into text and link segments. Nothing in it is ever parsed as HTML. */
export function textSegments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ text: m[0], href: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length || out.length === 0) out.push({ text: text.slice(last) });
  return out;
}

/** Which path a message takes: customer messages always render as text, agents' as sanitized rich text. */
export function renderMode(message: { authorKind: string }): 'text' | 'rich' {
  return message.authorKind === 'agent' || message.authorKind === 'bot' ? 'rich' : 'text';
}
