import type { ParsedMail } from 'mailparser';

export type IgnoreReason = 'auto_reply' | 'bounce' | 'loop' | 'no_sender';

const header = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value).toLowerCase();
  return String(v).toLowerCase();
};

/**
 * Mail we must never answer nor open a conversation for: out-of-office and other automatic replies,
 * bounces, and our own mail coming back (a forwarding loop). Answering any of them is how two
 * auto-responders end up mailing each other forever.
 */
export function classifyMail(
  mail: ParsedMail,
  envelopeFrom: string | null,
  isOurMessageId: (id: string) => boolean,
): IgnoreReason | undefined {
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  if (mail.messageId && isOurMessageId(mail.messageId)) return 'loop';
  if (mail.headers.has('x-autocrm-loop')) return 'loop';
  const contentType = header(mail, 'content-type');
  if (
    envelopeFrom === '' ||
    /^(mailer-daemon|postmaster|mail-daemon)@/.test(from) ||
    contentType.includes('multipart/report') ||
    mail.headers.has('x-failed-recipients')
  ) {
    return 'bounce';
  }
  const autoSubmitted = header(mail, 'auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (/^(auto_reply|bulk|junk|list)$/.test(header(mail, 'precedence').trim())) return 'auto_reply';
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond') || mail.headers.has('x-auto-response')) {
    return 'auto_reply';
  }
  if (
    /\b(oof|autoreply|all)\b/.test(header(mail, 'x-auto-response-suppress')) &&
    /^(auto|automatic reply|out of office)/i.test(mail.subject ?? '')
  ) {
    return 'auto_reply';
  }
  if (!from) return 'no_sender';
  return undefined;
}
