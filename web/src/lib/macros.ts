import type { Contact, Conversation } from './types';

export interface Macro {
  name: string;
  label: string;
  body: string;
}

/** Built-in reply templates; `{{contact.name}}` and `{{ticket.number}}` are filled in on insert. */
export const MACROS: Macro[] = [
  { name: 'hello', label: 'Greeting', body: '<p>Hi {{contact.name}}, thanks for reaching out!</p>' },
  {
    name: 'thanks',
    label: 'Thanks and close',
    body: '<p>Thanks {{contact.name}}! I am closing ticket #{{ticket.number}} now.</p>',
  },
  {
    name: 'moreinfo',
    label: 'Ask for details',
    body: '<p>Could you tell me a bit more: what did you expect, and what happened instead?</p>',
  },
];

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function expandMacro(m: Macro, ctx: { contact: Contact | null; conversation: Conversation }): string {
  return m.body
    .replaceAll('{{contact.name}}', esc(ctx.contact?.name ?? ctx.contact?.email ?? 'there'))
    .replaceAll('{{ticket.number}}', String(ctx.conversation.number));
}
