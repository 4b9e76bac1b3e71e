// Delay before retry n (1-based), exponential from 5 s and capped at 12 h. Summed with the lowest
// jitter the schedule still spans more than 3 days, so a receiver that is down over a weekend gets it.
const BASE_MS = 5_000;
const CAP_MS = 12 * 3600_000;
export const MAX_ATTEMPTS = 22;

export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(BASE_MS * 2 ** (attempt - 1), CAP_MS);
  // ±20 % jitter keeps many failing deliveries from retrying in lockstep.
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/** Total time from first attempt to giving up, with the given jitter draw (for docs and tests). */
export function scheduleSpanMs(random: () => number): number {
  let total = 0;
  for (let n = 1; n < MAX_ATTEMPTS; n++) total += retryDelayMs(n, random);
  return total;
}
