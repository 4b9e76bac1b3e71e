import { language, t } from '$lib/strings';

/** A count in the workspace language's digits (1,234 / 1.234). */
export const num = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString(language()));

/** One decimal in the workspace language (3.5 / 3,5). */
const oneDecimal = (n: number) => n.toLocaleString(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A duration in seconds as people read it: 45 s, 12 min, 3.5 h, 2.1 d; a dash when nothing was measured. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const u = t.reports.units;
  if (seconds < 90) return `${Math.round(seconds)} ${u.s}`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} ${u.min}`;
  if (seconds < 36 * 3600) return `${oneDecimal(seconds / 3600)} ${u.h}`;
  return `${oneDecimal(seconds / 86_400)} ${u.d}`;
}

/** A share as a percentage, formatted for the workspace language (42 % in German). */
export const percent = (v: number | null | undefined) =>
  v === null || v === undefined
    ? '–'
    : new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 0 }).format(v);

/** The change against the previous period, signed, or nothing when there is no base to compare with. */
export function change(current: number | null, previous: number | null): string {
  if (current === null || previous === null || previous === 0) return '';
  const ratio = (current - previous) / previous;
  return new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(
    ratio,
  );
}

/** A timestamp in the workspace language. */
export const when = (iso: string) => new Date(iso).toLocaleString(language());
