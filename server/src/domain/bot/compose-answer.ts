import { format, stringsFor } from '@autocrm/shared/strings';
import { escapeUTF8 } from 'entities';

// The no-LLM bot's words come from the shared catalogue (shared/src/strings), English the fallback.
const textFor = (language: string) => stringsFor('bot', language);

export interface LinkedArticle {
  title: string;
  url: string;
}

/**
 * The no-LLM answer: the best article's most relevant passage (already sanitized HTML), the link to the
 * whole article, other articles only when they are close, then the question the widget's person button
 * follows. Only elements the widget's message renderer keeps (p, blockquote, ul, li, a, strong).
 */
export function composeArticleAnswer(props: {
  language: string;
  passageHtml: string;
  best: LinkedArticle;
  others: LinkedArticle[];
}): string {
  const t = textFor(props.language);
  const link = (a: LinkedArticle, label = a.title) => `<a href="${escapeUTF8(a.url)}">${escapeUTF8(label)}</a>`;
  const parts = [
    `<p>${escapeUTF8(t.intro)}</p>`,
    // An article with no text to quote (a title and steps only) is answered by its link alone.
    ...(props.passageHtml ? [`<blockquote>${props.passageHtml}</blockquote>`] : []),
    `<p>${link(props.best, format(t.more, { title: props.best.title }))}</p>`,
  ];
  if (props.others.length)
    parts.push(`<p>${escapeUTF8(t.others)}</p><ul>${props.others.map((o) => `<li>${link(o)}</li>`).join('')}</ul>`);
  parts.push(`<p>${escapeUTF8(t.ask)}</p>`);
  return parts.join('');
}

/** The clarifying question when the best match is not sure enough to show. */
export const clarifyHtml = (language: string) => `<p>${escapeUTF8(textFor(language).clarify)}</p>`;
