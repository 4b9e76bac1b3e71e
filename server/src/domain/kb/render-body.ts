import { marked } from 'marked';
import { htmlToPlainText, sanitizeRichText } from '../text/sanitize';

export interface RenderedBody {
  html: string;
  text: string;
}

/** Article text as stored and shown: Markdown rendered, then (like HTML input) through the one sanitizer. */
export function renderArticleBody(body: string, format: 'markdown' | 'html'): RenderedBody {
  const raw = format === 'markdown' ? (marked.parse(body, { async: false, gfm: true }) as string) : body;
  const html = sanitizeRichText(raw);
  return { html, text: htmlToPlainText(html) };
}
