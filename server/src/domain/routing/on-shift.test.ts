import { describe, expect, it } from 'vitest';
import { isOnShift } from './on-shift';

describe('agent shifts', () => {
  const tokyoMorning = { weekday: 1, start_time: '09:00', end_time: '13:00', time_zone: 'Asia/Tokyo' };
  const lisbonNight = { weekday: 5, start_time: '22:00', end_time: '06:00', time_zone: 'Europe/Lisbon' };

  it('is always on shift without shifts', () => {
    expect(isOnShift([], new Date('2026-11-28T03:00:00Z'))).toBe(true);
  });

  it("reads a shift in the agent's own time zone", () => {
    // Monday 09:30 in Tokyo is Monday 00:30 UTC; Sunday 23:30 UTC is already Monday 08:30 there.
    expect(isOnShift([tokyoMorning], new Date('2026-11-23T00:30:00Z'))).toBe(true);
    expect(isOnShift([tokyoMorning], new Date('2026-11-22T23:30:00Z'))).toBe(false);
    expect(isOnShift([tokyoMorning], new Date('2026-11-23T04:00:00Z'))).toBe(false); // 13:00, the end is exclusive
  });

  it('runs an overnight shift into the next day', () => {
    expect(isOnShift([lisbonNight], new Date('2026-11-27T23:00:00Z'))).toBe(true); // Friday 23:00
    expect(isOnShift([lisbonNight], new Date('2026-11-28T05:59:00Z'))).toBe(true); // Saturday 05:59
    expect(isOnShift([lisbonNight], new Date('2026-11-28T06:00:00Z'))).toBe(false);
    expect(isOnShift([lisbonNight], new Date('2026-11-26T23:00:00Z'))).toBe(false); // Thursday night
  });
});
