// Delay before retry n (1-based), exponential from 5 s and capped at 5 min: a receiver that comes back
// is noticed within the cap (plus jitter), not hours later. Only a subscription's oldest pending
// delivery is retried (the worker keeps event order), so the short cap costs one request per cap.
const BASE_MS = 5_000;
export const RETRY_CAP_MS = 5 * 60_000;
/** A delivery still failing this long after its event is given up (marked failed). */
export const GIVE_UP_AFTER_MS = 3 * 24 * 3600_000;

export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(BASE_MS * 2 ** (attempt - 1), RETRY_CAP_MS);
  // ±20 % jitter keeps many failing deliveries from retrying in lockstep.
  return Math.round(exp * (0.8 + 0.4 * random()));
}
