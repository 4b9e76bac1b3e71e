const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const MD_LINK = /(!?)\[([^\]\n]*)\]\(([^)\s]*)\)/g;
const BARE_URL = /\bhttps?:\/\/[^\s<>"')\]]+/gi;

export interface StreamGuardOptions {
  allowedHosts: string[];
  /** Text the bot was given (articles, this conversation): email addresses in it may be repeated. */
  knownText: string;
}

/**
 * The live preview of the bot's answer goes through the same rules as the stored answer
 * (guard-output.ts) before anyone sees it. The model's text grows a few characters at a time, so a
 * token cannot be judged until it is complete: everything after the last whitespace is held back, and
 * so is an unclosed Markdown link. What is shown is plain text (clients render it as text): Markdown
 * links keep their label and show their address only for allowed hosts, images are dropped, unknown
 * email addresses and outside addresses are replaced as in the stored answer.
 */
export function guardStreamText(raw: string, opts: StreamGuardOptions): string {
  let settled = raw.slice(0, lastBoundary(raw));
  const open = settled.lastIndexOf('[');
  if (open >= 0 && !/\]\([^)\s]*\)/.test(settled.slice(open))) settled = settled.slice(0, open);
  const allowed = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const allowedUrl = (url: string) => {
    try {
      return allowed.has(new URL(url).host.toLowerCase());
    } catch {
      return false;
    }
  };
  const known = opts.knownText.toLowerCase();
  return settled
    .replace(MD_LINK, (_m, bang: string, label: string, url: string) => {
      if (bang) return '';
      return allowedUrl(url) ? `${label} (${url})` : label;
    })
    .replace(BARE_URL, (m) => (allowedUrl(m) ? m : '[link removed]'))
    .replace(EMAIL, (m) => (known.includes(m.toLowerCase()) ? m : '[email removed]'));
}

function lastBoundary(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/.test(text[i] as string)) return i + 1;
  return 0;
}
