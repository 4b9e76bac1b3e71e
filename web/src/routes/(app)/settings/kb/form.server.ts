import type { components } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import type { KbArticle } from '$lib/types';

type TranslationInput = components['schemas']['KbTranslationInput'];

/** Who may change the knowledge base (the API says the same with kb:write; this only hides the forms). */
export const canWrite = (event: Pick<RequestEvent, 'locals'>) => !!event.locals.user && event.locals.user.role !== 'agent';

export const DEFAULT_LOCALE = 'en';
export const LOCALE_RE = /^[a-z]{2}(-[A-Z]{2})?$/;

/** What an editor typed for one translation, echoed back when the API refuses it. */
export interface TranslationValues {
  title: string;
  body: string;
  keywords: string;
  status: string;
  steps: string;
}

export function translationValues(form: FormData): TranslationValues {
  const s = (k: string) => String(form.get(k) ?? '');
  return { title: s('title'), body: s('body'), keywords: s('keywords'), status: s('status') || 'draft', steps: s('steps') };
}

/**
 * The API body for one translation from the form. Steps are JSON typed by hand: a parse error is
 * reported like a server field error; the shape is the server's to validate (so the parsed JSON is
 * sent as the contract's steps, unchecked here).
 */
export function translationBody(v: TranslationValues, kind: string): { body: TranslationInput; errors?: Record<string, string> } {
  const body: TranslationInput = {
    title: v.title.trim(),
    body: v.body,
    format: 'markdown',
    status: v.status === 'published' ? 'published' : 'draft',
    keywords: v.keywords
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  };
  if (kind === 'tutorial' || v.steps.trim()) {
    try {
      body.steps = v.steps.trim() ? (JSON.parse(v.steps) as TranslationInput['steps']) : undefined;
    } catch {
      return { body, errors: { steps: 'Steps must be valid JSON (an array of steps).' } };
    }
  }
  return { body };
}

/**
 * Field errors keyed for the form: the API reports `steps.0.id` or `keywords.2`; the form has one
 * field for each, so the first segment names it and the rest stays in the message.
 */
export function formErrors(body: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of body?.error?.issues ?? []) {
    const path: unknown[] = Array.isArray(issue.path) ? issue.path : typeof issue.path === 'string' ? issue.path.split('.') : [];
    const key = typeof path[0] === 'string' && path[0] ? path[0] : 'form';
    const where = path.slice(1).join('.');
    out[key] ??= where ? `${where}: ${issue.message}` : issue.message;
  }
  if (!Object.keys(out).length) out.form = body?.error?.message ?? 'Something went wrong.';
  return out;
}

/** The translation to show first: the default locale, else the first one. */
export function mainTranslation(a: KbArticle) {
  return a.translations.find((t) => t.locale === DEFAULT_LOCALE) ?? a.translations[0];
}
