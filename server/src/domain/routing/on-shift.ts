import { DateTime } from 'luxon';

export interface ShiftRow {
  weekday: number; // ISO: 1 = Monday
  start_time: string;
  end_time: string;
  time_zone: string;
}

const mins = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** An agent without shifts is on shift whenever online; with shifts, only inside one (in its time zone). */
export function isOnShift(shifts: readonly ShiftRow[], at: Date): boolean {
  if (shifts.length === 0) return true;
  return shifts.some((s) => {
    const local = DateTime.fromJSDate(at, { zone: s.time_zone });
    const start = mins(s.start_time);
    let end = mins(s.end_time);
    if (end <= start) end += 24 * 60;
    const now = local.hour * 60 + local.minute;
    if (local.weekday === s.weekday && now >= start && now < end) return true;
    // The tail of an overnight shift that began yesterday.
    const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
    return end > 24 * 60 && yesterday === s.weekday && now + 24 * 60 < end;
  });
}
