/** The widget's strings, per language. Pure: no DOM, unit-tested in Node. */
export const en = {
  statusOpen: 'Open',
  statusPending: 'Waiting on you',
  statusResolved: 'Resolved',
  statusClosed: 'Closed',
  attach: 'Attach a file',
  uploading: 'Uploading {name}… {pct}%',
  uploadFailed: 'Could not upload {name}: {reason}',

  open: 'Open chat',
  close: 'Close chat',
  title: 'Chat with us',
  send: 'Send',
  placeholder: 'Type your message…',
  messageLabel: 'Message',
  newConversation: 'New conversation',
  back: 'Back to conversations',
  conversations: 'Your conversations',
  sending: 'Sending…',
  seen: 'Seen',
  typing: '{name} is typing…',
  someone: 'Someone',
  answeringAgent: '{name} is answering',
  answeringTeam: 'The team will reply here',
  offline: 'We are away right now.',
  replyTime: 'We usually reply {time}.',
  leaveEmail: 'Leave your email so the answer reaches you:',
  email: 'Email',
  name: 'Name',
  save: 'Save',
  saved: 'Thanks, we will reply to {email}.',
  start: 'Start chat',
  resolved: 'This conversation was resolved.',
  rate: 'How did we do?',
  star: '{n} of 5',
  comment: 'Comment (optional)',
  submit: 'Submit',
  thanks: 'Thanks for your feedback!',
  emailTranscript: 'Email me a transcript',
  transcriptSent: 'On its way to your email.',
  transcriptNoAddress: 'Leave your email first, then ask again.',
  transcriptTooSoon: 'Sent a moment ago; try again in a minute.',
  queue: 'You are number {position} in line',
  eta: 'about {minutes} min',
  unread: '{n} unread messages',
  you: 'You',
  agent: 'Agent',
  bot: 'Assistant',
  required: 'required',
  conversation: 'Conversation #{n}',

  tabChat: 'Chat',
  tabHelp: 'Help',
  helpSearch: 'Search our help center',
  helpPlaceholder: 'Search for answers…',
  findAnswers: 'Find answers in our help center',
  suggested: 'Suggested for you',
  noResults: 'No articles found for “{q}”.',
  searching: 'Searching…',
  tutorial: 'Tutorial',
  helpful: 'Was this helpful?',
  yes: 'Yes',
  no: 'No',
  stillNeedHelp: 'Still need help?',
  chatWithUs: 'Chat with us',
  backToHelp: 'Back to help',
  openInHelpCenter: 'Open in the help center',
  step: 'Step {n}',
  next: 'Next',
  prevStep: 'Back',
  solved: 'Did this solve it?',
  gladItHelped: 'Great, glad that helped!',
  notSolved: 'Sorry that did not solve it. Our team can help.',
  talkToPerson: 'Talk to a person',
  botTag: 'Bot',
  somethingWrong: 'Something went wrong. Please try again.',
  answeringBot: '{name} (bot) is answering',
};
export type Strings = typeof en;

/** Languages the widget speaks. English is built in; the others are fetched when chosen (loadLocale). */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ar'];
const RTL = new Set(['ar']);
const loaded: Record<string, Partial<Strings>> = { en };

/**
 * The boot option wins, then the browser's languages in order; a region falls back to its language
 * (pt-BR -> pt); English when nothing matches.
 */
export function pickLocale(requested: string | undefined | null, browser: readonly string[] = []): string {
  for (const tag of [requested, ...browser]) {
    if (!tag) continue;
    const lang = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (LOCALES.includes(lang)) return lang;
  }
  return 'en';
}

export const isRtl = (locale: string) => RTL.has(locale);

/** Makes a language's strings available (the fetched file, or a test's import of dictionaries.ts). */
export function registerDictionary(locale: string, strings: Partial<Strings>): void {
  loaded[locale] = strings;
}

/**
 * Fetches a language's strings from the widget's server once (dist/i18n/<lang>.json). Until it arrives,
 * or if it cannot be had, the widget speaks English: a missing string never leaves a blank.
 */
export async function loadLocale(origin: string, locale: string): Promise<void> {
  if (loaded[locale] || !LOCALES.includes(locale)) return;
  try {
    const res = await fetch(`${origin}/widget/i18n/${locale}.json`);
    if (res.ok) registerDictionary(locale, (await res.json()) as Partial<Strings>);
  } catch {
    // Offline or blocked: English stays.
  }
}

/** A string with {placeholders} filled in. */
export function t(locale: string, key: keyof Strings, vars: Record<string, string | number> = {}): string {
  const s = loaded[locale]?.[key] ?? en[key];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
