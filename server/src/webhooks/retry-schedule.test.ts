import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETRY_CAP_MS, retryDelayMs } from './retry-schedule';

const CAP = 5 * 60_000;
const lowest = () => 0;
const middle = () => 0.5;
const highest = () => 0.999_999_999;

describe('webhook retry schedule', () => {
  it('caps the wait at 5 min, so a receiver that is back is noticed within 6 min', () => {
    expect(RETRY_CAP_MS).toBe(CAP);
    for (let n = 1; n < 200; n++) expect(retryDelayMs(n, highest)).toBeLessThanOrEqual(CAP * 1.2);
  });

  it('starts at 5 s and doubles until it reaches the 5 min cap, then stays there', () => {
    expect(retryDelayMs(1, middle)).toBe(5_000);
    expect(retryDelayMs(2, middle)).toBe(10_000);
    expect(retryDelayMs(3, middle)).toBe(20_000);
    const delays = Array.from({ length: 30 }, (_, i) => retryDelayMs(i + 1, middle));
    for (let i = 1; i < delays.length; i++) {
      const [prev, cur] = [delays[i - 1]!, delays[i]!];
      if (prev < CAP) expect(cur, `attempt ${i + 1}`).toBe(Math.min(prev * 2, CAP));
      else expect(cur, `attempt ${i + 1}`).toBe(CAP);
    }
    expect(delays.at(-1)).toBe(CAP);
    // The cap is reached early, so the tail of the schedule retries every 5 min.
    expect(delays.filter((d) => d === CAP).length).toBeGreaterThanOrEqual(5);
  });

  it('jitters every delay by at most ±20 % and never beyond 5 min + 20 %', () => {
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
    const draws = new Set(Array.from({ length: 50 }, () => retryDelayMs(5)));
    expect(draws.size).toBeGreaterThan(1);
    for (const d of draws) {
      expect(d).toBeGreaterThanOrEqual(5_000 * 2 ** 4 * 0.8);
      expect(d).toBeLessThanOrEqual(5_000 * 2 ** 4 * 1.2);
    }
  });
});
