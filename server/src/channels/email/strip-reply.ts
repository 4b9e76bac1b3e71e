/**
 * What the customer wrote in this mail, without the quoted history their mail client appended and
 * without their signature. Written by hand: the maintained parsers need Node 22 or pull in native
 * regex engines, and the rules below cover the clients our customers use (Gmail, Apple Mail,
 * Outlook, Thunderbird, phones) in the languages we see most. The full mail is kept beside it.
 */

// A line that opens the quoted history: "On Tue, 3 Dec 2026, Ada <a@b> wrote:" and its translations.
const REPLY_HEADERS: RegExp[] = [
  /^\s*On\s.+\swrote:\s*$/i,
  /^\s*Am\s.+\sschrieb\s.*:\s*$/i,
  /^\s*Le\s.+\sa\sécrit\s?:\s*$/i,
  /^\s*El\s.+\sescribió:\s*$/i,
  /^\s*Il\s.+\sha\sscritto:\s*$/i,
  /^\s*Op\s.+\sschreef\s.*:\s*$/i,
  /^\s*-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*Ursprüngliche Nachricht\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
];

// Outlook's header block: "From: …" followed within two lines by "Sent:"/"Date:" and "To:"/"Subject:".
const OUTLOOK_FROM = /^\s*\*?(From|Von|De|Van)\s*:\*?\s/i;
const OUTLOOK_NEXT = /^\s*\*?(Sent|Date|Gesendet|Envoyé|Enviado|To|An|À|Subject|Betreff|Objet)\s*:\*?\s/i;

const SIGNOFFS: RegExp[] = [
  /^\s*Sent from my (iPhone|iPad|Android|mobile|phone|Galaxy|Pixel).*$/i,
  /^\s*Sent from (Mail|Outlook|Yahoo Mail|Gmail) for .*$/i,
  /^\s*Get Outlook for .*$/i,
  /^\s*Von meinem .+ gesendet\s*$/i,
  /^\s*Envoyé de mon .+$/i,
  /^\s*Enviado desde mi .+$/i,
];

export interface StrippedReply {
  /** The new text of this mail. */
  text: string;
  /** Whether anything was removed (the workspace then offers "show full email"). */
  stripped: boolean;
}

export function stripReply(full: string): StrippedReply {
  const lines = full.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const joined = `${line} ${lines[i + 1] ?? ''}`;
    if (REPLY_HEADERS.some((r) => r.test(line))) {
      end = i;
      break;
    }
    // Gmail wraps a long "On … wrote:" over two lines.
    if (/^\s*On\s/i.test(line) && !/wrote:\s*$/i.test(line) && /^\s*On\s.+\swrote:\s*$/i.test(joined)) {
      end = i;
      break;
    }
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(l))) {
      end = i;
      break;
    }
    // The standard signature delimiter, or a phone's sign-off: what follows is not the message.
    if (line === '-- ' || line === '--' || SIGNOFFS.some((r) => r.test(line))) {
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end);
  // A quoted block ("> …") that runs to the end is history; quotes between answers stay (inline replies).
  let last = kept.length;
  while (last > 0 && (/^\s*>/.test(kept[last - 1]!) || kept[last - 1]!.trim() === '')) last--;
  kept = kept.slice(0, last);
  const text = kept.join('\n').trim();
  const original = full.trim();
  // Never reduce a mail to nothing: a mail that is only a quote keeps its text.
  if (!text) return { text: original, stripped: false };
  return { text, stripped: text !== original.replace(/\r\n?/g, '\n') };
}
