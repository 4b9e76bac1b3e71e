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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references of escaped text back to characters (the result is only ever used as text). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    const n = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
  });
}

export interface MarkPart {
  text: string;
  mark: boolean;
}

/**
 * A search snippet (escaped text with <mark>…</mark> around matches) as text parts, never as HTML:
 * any other markup in it stays visible characters.
 */
export function markSegments(snippet: string): MarkPart[] {
  const out: MarkPart[] = [];
  let mark = false;
  for (const part of snippet.split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(part)) mark = true;
    else if (/^<\/mark>$/i.test(part)) mark = false;
    else if (part) out.push({ text: decodeEntities(part), mark });
  }
  return out;
}

export type Inline = { text: string; bold?: true; code?: true; href?: string };
export type Block = { kind: 'p'; parts: Inline[] } | { kind: 'ul' | 'ol'; items: Inline[][] };

const INLINE_RE = /\*\*(.+?)\*\*|__(.+?)__|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** One line of Markdown: **bold**, `code`, [links](https://…) and bare URLs; everything else is text. */
export function markdownInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE_RE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    last = at + m[0].length;
    const bold = m[1] ?? m[2];
    if (bold !== undefined) out.push({ text: bold, bold: true });
    else if (m[3] !== undefined) out.push({ text: m[3], code: true });
    else if (m[4] !== undefined) {
      const href = safeHref(m[5]);
      out.push(href ? { text: m[4], href } : { text: m[4] });
    } else out.push({ text: m[0], href: m[0] });
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/**
 * The small Markdown of tutorial steps as blocks: paragraphs (blank-line separated, line breaks kept),
 * bulleted and numbered lists; headings become bold paragraphs. Pure data, rendered as text nodes.
 */
export function markdownBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'p', parts: markdownInline(para.join('\n')) });
    para = [];
  };
  for (const line of md.replace(/\r\n?/g, '\n').split('\n')) {
    const item = /^\s*(?:([-*+])|\d+[.)])\s+(.*)$/.exec(line);
    const heading = /^\s*#{1,6}\s+(.*)$/.exec(line);
    if (!line.trim()) flush();
    else if (item) {
      flush();
      const kind = item[1] ? 'ul' : 'ol';
      const prev = blocks[blocks.length - 1];
      const parts = markdownInline(item[2] ?? '');
      if (prev && prev.kind === kind) prev.items.push(parts);
      else blocks.push({ kind, items: [parts] });
    } else if (heading) {
      flush();
      blocks.push({ kind: 'p', parts: [{ text: heading[1] ?? '', bold: true }] });
    } else para.push(line);
  }
  flush();
  return blocks;
}
