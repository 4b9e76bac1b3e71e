import { escapeUTF8 } from 'entities';

// The no-LLM bot's words, in every language the widget speaks (en first: the fallback).
const TEXT = {
  en: {
    intro: 'Here is what our help center says:',
    more: 'Read the full article: {title}',
    others: 'Other articles that might help:',
    ask: 'Did this answer your question?',
    clarify: 'I am not sure I understood. Could you describe it in other words? Or talk to a person from our team.',
  },
  de: {
    intro: 'Dazu steht in unserem Hilfe-Center:',
    more: 'Zum ganzen Artikel: {title}',
    others: 'Weitere Artikel, die helfen könnten:',
    ask: 'Hat das Ihre Frage beantwortet?',
    clarify:
      'Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Können Sie es mit anderen Worten beschreiben? Oder sprechen Sie mit einer Person aus unserem Team.',
  },
  fr: {
    intro: 'Voici ce que dit notre centre d’aide :',
    more: 'Lire l’article complet : {title}',
    others: 'D’autres articles qui pourraient aider :',
    ask: 'Cela a-t-il répondu à votre question ?',
    clarify: 'Je ne suis pas sûr d’avoir compris. Pouvez-vous le décrire autrement ? Ou parlez à une personne de notre équipe.',
  },
  es: {
    intro: 'Esto dice nuestro centro de ayuda:',
    more: 'Leer el artículo completo: {title}',
    others: 'Otros artículos que podrían ayudar:',
    ask: '¿Esto respondió a tu pregunta?',
    clarify:
      'No estoy seguro de haberte entendido. ¿Puedes describirlo con otras palabras? O habla con una persona de nuestro equipo.',
  },
  pt: {
    intro: 'Isto é o que diz a nossa central de ajuda:',
    more: 'Ler o artigo completo: {title}',
    others: 'Outros artigos que podem ajudar:',
    ask: 'Isto respondeu à sua pergunta?',
    clarify: 'Não tenho certeza se entendi. Pode descrever com outras palavras? Ou fale com uma pessoa da nossa equipe.',
  },
} as const;

type Lang = keyof typeof TEXT;
const textFor = (language: string) => TEXT[(language.slice(0, 2) in TEXT ? language.slice(0, 2) : 'en') as Lang];

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
    `<blockquote>${props.passageHtml}</blockquote>`,
    `<p>${link(props.best, t.more.replace('{title}', props.best.title))}</p>`,
  ];
  if (props.others.length)
    parts.push(`<p>${escapeUTF8(t.others)}</p><ul>${props.others.map((o) => `<li>${link(o)}</li>`).join('')}</ul>`);
  parts.push(`<p>${escapeUTF8(t.ask)}</p>`);
  return parts.join('');
}

/** The clarifying question when the best match is not sure enough to show. */
export const clarifyHtml = (language: string) => `<p>${escapeUTF8(textFor(language).clarify)}</p>`;
