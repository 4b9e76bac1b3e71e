import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMs, scheduleSpanMs } from './retry-schedule';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const CAP = 12 * HOUR;
const lowest = () => 0;
const middle = () => 0.5;
const highest = () => 0.999_999_999;

describe('webhook retry schedule', () => {
  it('spans at least 3 days even with the lowest jitter on every delay', () => {
    expect(scheduleSpanMs(lowest)).toBeGreaterThanOrEqual(3 * DAY);
    // ...and gives up within a week even with the highest jitter.
    expect(scheduleSpanMs(highest)).toBeLessThan(7 * DAY);
    expect(scheduleSpanMs(lowest)).toBeLessThan(scheduleSpanMs(highest));
  });

  it('starts at 5 s and doubles until it reaches the 12 h cap, then stays there', () => {
    expect(retryDelayMs(1, middle)).toBe(5_000);
    expect(retryDelayMs(2, middle)).toBe(10_000);
    expect(retryDelayMs(3, middle)).toBe(20_000);
    const delays = Array.from({ length: MAX_ATTEMPTS + 5 }, (_, i) => retryDelayMs(i + 1, middle));
    for (let i = 1; i < delays.length; i++) {
      const [prev, cur] = [delays[i - 1]!, delays[i]!];
      if (prev < CAP) expect(cur, `attempt ${i + 1}`).toBe(Math.min(prev * 2, CAP));
      else expect(cur, `attempt ${i + 1}`).toBe(CAP);
    }
    expect(delays.at(-1)).toBe(CAP);
    // The cap is reached well before the last attempt, so the tail of the schedule is 12-hourly.
    expect(delays.filter((d) => d === CAP).length).toBeGreaterThanOrEqual(5);
  });

  it('jitters every delay by at most ±20 % and never beyond 12 h + 20 %', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const base = Math.min(5_000 * 2 ** (attempt - 1), CAP);
          const d = retryDelayMs(attempt, () => r);
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
          expect(d).toBeLessThanOrEqual(Math.ceil(base * 1.2));
          expect(d).toBeLessThanOrEqual(CAP * 1.2);
        },
      ),
    );
    expect(retryDelayMs(40, lowest)).toBe(CAP * 0.8);
    expect(retryDelayMs(40, highest)).toBe(Math.round(CAP * 1.2));
    expect(retryDelayMs(1, lowest)).toBe(4_000);
  });

  it('uses real randomness by default, so failing deliveries do not retry in lockstep', () => {
    const draws = new Set(Array.from({ length: 50 }, () => retryDelayMs(10)));
    expect(draws.size).toBeGreaterThan(1);
    for (const d of draws) {
      expect(d).toBeGreaterThanOrEqual(5_000 * 2 ** 9 * 0.8);
      expect(d).toBeLessThanOrEqual(5_000 * 2 ** 9 * 1.2);
    }
  });
});
