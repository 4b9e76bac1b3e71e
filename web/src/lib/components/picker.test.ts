import { describe, expect, it } from 'vitest';
import { filterOptions, moveActive, typeahead } from './picker';

const people = ['Nobody', 'Ada Agent', 'Bob Agent', 'José Núñez', 'Müller'].map((label, i) => ({ value: String(i), label }));

describe('picker', () => {
  it('filters by every word of the query, ignoring case and accents, searching the hint too', () => {
    expect(filterOptions(people, 'agent').map((o) => o.label)).toEqual(['Ada Agent', 'Bob Agent']);
    expect(filterOptions(people, 'bob  AG').map((o) => o.label)).toEqual(['Bob Agent']);
    expect(filterOptions(people, 'jose nunez').map((o) => o.label)).toEqual(['José Núñez']);
    expect(filterOptions(people, 'muller').map((o) => o.label)).toEqual(['Müller']);
    expect(filterOptions(people, '   ')).toHaveLength(people.length);
    expect(filterOptions([{ value: 'x', label: 'SMS · Texts', hint: '+49151' }], '+49').map((o) => o.value)).toEqual(['x']);
    expect(filterOptions(people, 'zzz')).toEqual([]);
  });

  it('moves the active option with arrows, Home, End and pages, stopping at the ends', () => {
    expect(moveActive('ArrowDown', 0, 5)).toBe(1);
    expect(moveActive('ArrowDown', 4, 5)).toBe(4);
    expect(moveActive('ArrowUp', 0, 5)).toBe(0);
    expect(moveActive('Home', 3, 5)).toBe(0);
    expect(moveActive('End', 0, 5)).toBe(4);
    expect(moveActive('PageDown', 0, 20)).toBe(8);
    expect(moveActive('PageUp', 3, 20)).toBe(0);
    expect(moveActive('Enter', 2, 5)).toBeNull();
    expect(moveActive('ArrowDown', 0, 0)).toBeNull();
  });

  it('type-ahead: a letter cycles through the options starting with it, a word stays on its match', () => {
    expect(typeahead(people, 'b', 0)).toBe(2);
    expect(typeahead(people, 'a', 1)).toBe(1); // only Ada starts with "a": pressing it again stays there
    expect(typeahead(people, 'bo', 2)).toBe(2);
    expect(typeahead(people, 'x', 3)).toBe(3);
  });
});
