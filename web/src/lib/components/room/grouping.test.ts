import { describe, expect, it } from 'vitest';
import { clockTime, continuesGroup, dayKey, dayLabel, interleaveMerged } from './grouping';

const m = (authorKind: string, authorId: string | null, at: string, priv = false) => ({
  authorKind,
  authorId,
  private: priv,
  at,
});

describe('message grouping and day separators', () => {
  it('groups one author within five minutes, and nothing else', () => {
    const a = m('contact', 'c1', '2026-12-06T10:00:00Z');
    expect(continuesGroup(null, a)).toBe(false);
    expect(continuesGroup(a, m('contact', 'c1', '2026-12-06T10:04:59Z'))).toBe(true);
    expect(continuesGroup(a, m('contact', 'c1', '2026-12-06T10:05:01Z'))).toBe(false);
    expect(continuesGroup(a, m('agent', 'c1', '2026-12-06T10:01:00Z'))).toBe(false);
    expect(continuesGroup(m('agent', 'u1', a.at), m('agent', 'u2', a.at))).toBe(false);
    // A note after a reply by the same agent starts its own group (it looks different).
    expect(continuesGroup(m('agent', 'u1', a.at), m('agent', 'u1', a.at, true))).toBe(false);
    expect(continuesGroup(m('bot', null, a.at), m('bot', null, '2026-12-06T10:00:30Z'))).toBe(true);
    expect(continuesGroup(m('system', null, a.at), m('system', null, a.at))).toBe(false);
  });

  it('names days relative to now in the agent time zone and language', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const words = { today: 'Today', yesterday: 'Yesterday' };
    expect(dayLabel('2026-12-06T01:00:00Z', now, words, 'en', 'UTC')).toBe('Today');
    expect(dayLabel('2026-12-05T23:30:00Z', now, words, 'en', 'UTC')).toBe('Yesterday');
    // 23:30 UTC on the 5th is already the 6th in Berlin.
    expect(dayLabel('2026-12-05T23:30:00Z', now, words, 'en', 'Europe/Berlin')).toBe('Today');
    expect(dayLabel('2026-12-01T10:00:00Z', now, words, 'de', 'UTC')).toBe('Dienstag, 1. Dezember');
    expect(dayLabel('2025-12-01T10:00:00Z', now, words, 'en-GB', 'UTC')).toMatch(/^Monday,? 1 December 2025$/);
    expect(dayKey('2026-12-05T23:30:00Z', 'UTC')).toBe('2026-12-05');
    expect(clockTime('2026-12-06T14:05:00Z', 'de', 'UTC')).toBe('14:05');
  });
});

describe('a merged room reads by time', () => {
  const msg = (id: string, seq: number, createdAt: string, merged = false) => ({
    id,
    seq,
    createdAt,
    meta: merged ? { mergedFrom: { number: 7 } } : null,
  });
  it('places each moved message before the first own message written after it, and keeps seq order otherwise', () => {
    const own1 = msg('a1', 1, '2026-12-06T10:00:00Z');
    const own2 = msg('a2', 2, '2026-12-06T10:10:00Z');
    const line = msg('sys', 3, '2026-12-06T11:00:00Z');
    const moved1 = msg('b1', 4, '2026-12-06T10:05:00Z', true);
    const moved2 = msg('b2', 5, '2026-12-06T10:06:00Z', true);
    const moved3 = msg('b3', 6, '2026-12-06T12:00:00Z', true);
    const later = msg('a3', 7, '2026-12-06T11:30:00Z');
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
    expect(ids(interleaveMerged([later, moved3, moved2, moved1, line, own2, own1]))).toEqual([
      'a1',
      'b1',
      'b2',
      'a2',
      'sys',
      'a3',
      'b3',
    ]);
    // Nothing merged: plain seq order, whatever the times say.
    expect(ids(interleaveMerged([own2, msg('x', 3, '2026-12-06T09:00:00Z'), own1]))).toEqual(['a1', 'a2', 'x']);
  });
});
