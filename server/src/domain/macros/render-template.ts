import { AppError } from '@autocrm/shared';

/**
 * Macro variables: `{{contact.name}}`, `{{contact.first_name}}`, `{{contact.email}}`, `{{contact.phone}}`,
 * `{{contact.<attribute>}}`, `{{conversation.number}}`, `{{conversation.subject}}`,
 * `{{conversation.<custom field key>}}`, `{{agent.name}}`, `{{agent.first_name}}`, `{{agent.email}}`.
 * A missing value is never silently guessed: `{{contact.name | fallback: "there"}}` says what to use,
 * and without a fallback the variable renders empty and is reported, so the agent sees what to fill in.
 */
// Quotes may arrive as `&quot;`: the body is stored as sanitized HTML.
const VARIABLE = /\{\{\s*([a-z]+)\.([a-z][a-z0-9_]*)\s*(?:\|\s*fallback:\s*(?:"|&quot;)(.*?)(?:"|&quot;)\s*)?\}\}/gi;
const ROOTS = new Set(['contact', 'conversation', 'agent', 'ticket']);

export interface TemplateContext {
  contact: { name: string | null; email: string | null; phone: string | null; attributes: Record<string, unknown> } | null;
  conversation: { number: number; subject: string | null; customFields: Record<string, unknown> };
  agent: { name: string; email: string } | null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = Array.isArray(v) ? v.join(', ') : String(v);
  return s.trim() ? s : null;
};

function lookup(root: string, key: string, ctx: TemplateContext): string | null {
  if (root === 'contact') {
    const c = ctx.contact;
    if (!c) return null;
    if (key === 'name') return text(c.name);
    if (key === 'first_name') return text(c.name?.trim().split(/\s+/)[0]);
    if (key === 'email') return text(c.email);
    if (key === 'phone') return text(c.phone);
    return text(c.attributes[key]);
  }
  if (root === 'conversation' || root === 'ticket') {
    if (key === 'number') return String(ctx.conversation.number);
    if (key === 'subject') return text(ctx.conversation.subject);
    return text(ctx.conversation.customFields[key]);
  }
  if (root === 'agent') {
    if (!ctx.agent) return null;
    if (key === 'name') return text(ctx.agent.name);
    if (key === 'first_name') return text(ctx.agent.name.trim().split(/\s+/)[0]);
    if (key === 'email') return text(ctx.agent.email);
  }
  return null;
}

/** Fills the variables of an HTML template; `missing` names each one without a value or fallback. */
export function renderTemplate(html: string, ctx: TemplateContext): { html: string; missing: string[] } {
  const missing = new Set<string>();
  const out = html.replace(VARIABLE, (_all, root: string, key: string, fallback: string | undefined) => {
    const value = lookup(root.toLowerCase(), key.toLowerCase(), ctx);
    if (value !== null) return esc(value);
    if (fallback !== undefined) return fallback; // already HTML-escaped text from the stored body
    missing.add(`${root}.${key}`);
    return '';
  });
  return { html: out, missing: [...missing] };
}

/** Rejects variables with an unknown root when a macro is saved (a typo would render empty for ever). */
export function assertKnownVariables(html: string, path: string): void {
  const issues: { path: string; message: string }[] = [];
  for (const m of html.matchAll(VARIABLE)) {
    if (!ROOTS.has((m[1] ?? '').toLowerCase())) issues.push({ path, message: `unknown variable "${m[1]}.${m[2]}"` });
  }
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}
