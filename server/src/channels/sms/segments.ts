// How an SMS body is billed and split: GSM-7 text fits 160 characters in one message (153 per part when
// concatenated); anything outside GSM-7 goes as UCS-2, 70 (67 per part). Twilio concatenates up to
// 1,600 characters; a longer reply is sent as several messages, split at word boundaries.

const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '^{}\\[~]|€\f';
const gsm = new Set([...GSM7]);
const gsmExt = new Set([...GSM7_EXT]);

export const MAX_SMS_CHARS = 1600;

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!gsm.has(ch) && !gsmExt.has(ch)) return false;
  return true;
}

/** The number of billed segments one message of this text takes. */
export function segmentCount(text: string): number {
  if (text.length === 0) return 1;
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += gsmExt.has(ch) ? 2 : 1;
    return units <= 160 ? 1 : Math.ceil(units / 153);
  }
  // UCS-2 counts UTF-16 code units; characters outside the BMP take two.
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

/** Splits a long text into messages of at most `max` characters, at whitespace where possible. */
export function splitForSms(text: string, max = MAX_SMS_CHARS): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    const nl = rest.lastIndexOf('\n', max);
    if (nl > cut) cut = nl;
    if (cut < max / 2) cut = max;
    // Never cut a surrogate pair in half.
    if (/[\uD800-\uDBFF]/.test(rest.charAt(cut - 1))) cut -= 1;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts.length ? parts : [''];
}
