/**
 * The pure half of Picker.svelte: its option shape, the type-to-filter match and the keyboard moves, kept
 * apart so they are tested without a browser.
 */
export interface PickerOption {
  value: string;
  label: string;
  /** Quieter text after the label (an address, "this room"); searched too. */
  hint?: string;
  /** Leading visual, at most one: an agent's avatar, a status colour dot, a priority icon or a channel icon. */
  avatar?: { name: string; src?: string | null };
  dot?: string;
  priority?: string;
  channel?: string;
}

/** Lists longer than this get a filter box when the picker opens (a handful of choices reads faster without). */
export const FILTER_FROM = 7;

/** Lower case without accents: "jose" finds "José", "mueller" does not find "Müller" but "muller" does. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** The options whose label or hint holds every word of the query, in their order. */
export function filterOptions(options: readonly PickerOption[], query: string): PickerOption[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...options];
  return options.filter((o) => {
    const text = fold(`${o.label} ${o.hint ?? ''}`);
    return words.every((w) => text.includes(w));
  });
}

/** Where a key moves the active option in a list of `length` (no wrap: the APG listbox keeps the ends). */
export function moveActive(key: string, active: number, length: number, page = 8): number | null {
  if (!length) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(length - 1, active + 1);
    case 'ArrowUp':
      return Math.max(0, active - 1);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    case 'PageDown':
      return Math.min(length - 1, active + page);
    case 'PageUp':
      return Math.max(0, active - page);
    default:
      return null;
  }
}

/** Type-ahead on a list without a filter box: the next option after `from` whose label starts with `typed`. */
export function typeahead(options: readonly PickerOption[], typed: string, from: number): number {
  const q = fold(typed);
  if (!q) return from;
  // One key pressed again cycles through the options with that letter; a word being typed stays put while it matches.
  for (let i = typed.length > 1 ? 0 : 1; i <= options.length; i++) {
    const j = (from + i) % options.length;
    if (fold(options[j]!.label).startsWith(q)) return j;
  }
  return from;
}

/** The status colour by category, shared by the ticket card and the queue filters. */
export const CATEGORY_COLOURS: Record<string, string> = {
  open: '#2f5bd3',
  pending: '#d97706',
  resolved: '#067647',
  closed: '#6b7280',
};
