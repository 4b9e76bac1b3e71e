import type { BusinessHours } from '@autocrm/shared';
import { DateTime } from 'luxon';

/** A team's calendar: weekly opening hours in its time zone, minus holidays (local dates). */
export interface Calendar {
  timeZone: string;
  hours: BusinessHours;
  holidays: readonly string[];
}

export const ALWAYS_OPEN: Calendar = { timeZone: 'UTC', hours: {}, holidays: [] };

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
/** No opening hours and no holidays: every instant is open, so business time is wall time. */
export const alwaysOpen = (cal: Calendar) => Object.keys(cal.hours).length === 0 && cal.holidays.length === 0;

/** Open intervals [start, end) in UTC milliseconds of one local date. Overnight ranges run into the next day. */
function intervalsOn(cal: Calendar, day: DateTime): [number, number][] {
  if (cal.holidays.includes(day.toISODate() ?? '')) return [];
  const ranges = cal.hours[DAYS[day.weekday - 1] as (typeof DAYS)[number]] ?? [];
  return ranges.map((r) => {
    const start = day.plus({ minutes: minutesOf(r.start) });
    let endMin = minutesOf(r.end);
    if (endMin <= minutesOf(r.start)) endMin += 24 * 60;
    return [start.toMillis(), day.plus({ minutes: endMin }).toMillis()];
  });
}

/** Is the calendar open at this instant? */
export function isOpen(cal: Calendar, at: Date): boolean {
  if (Object.keys(cal.hours).length === 0) return !cal.holidays.includes(localDate(cal, at));
  const t = at.getTime();
  const local = DateTime.fromJSDate(at, { zone: cal.timeZone }).startOf('day');
  // Yesterday too: an overnight range that started then may still be open.
  for (const day of [local.minus({ days: 1 }), local]) {
    if (intervalsOn(cal, day).some(([s, e]) => t >= s && t < e)) return true;
  }
  return false;
}

export function localDate(cal: Calendar, at: Date): string {
  return DateTime.fromJSDate(at, { zone: cal.timeZone }).toISODate() ?? '';
}

export type AddBusinessMinutesProps = { cal: Calendar; from: Date; minutes: number };

/**
 * The instant `minutes` of open time after `from`. Without business hours that is plain wall time;
 * with them, closed nights, weekends and holidays do not count. Gives up after two years of
 * closed days (a calendar with no open hours) and returns null.
 */
export function addBusinessMinutes({ cal, from, minutes }: AddBusinessMinutesProps): Date | null {
  if (alwaysOpen(cal)) return new Date(from.getTime() + minutes * 60_000);
  let remaining = minutes * 60_000;
  const t0 = from.getTime();
  let day = DateTime.fromJSDate(from, { zone: cal.timeZone }).startOf('day').minus({ days: 1 });
  for (let i = 0; i < 800; i++, day = day.plus({ days: 1 })) {
    const intervals = Object.keys(cal.hours).length
      ? intervalsOn(cal, day)
      : cal.holidays.includes(day.toISODate() ?? '')
        ? []
        : [[day.toMillis(), day.plus({ days: 1 }).toMillis()] as [number, number]];
    for (const [s, e] of intervals.sort((a, b) => a[0] - b[0])) {
      const start = Math.max(s, t0);
      if (e <= start) continue;
      if (e - start >= remaining) return new Date(start + remaining);
      remaining -= e - start;
    }
  }
  return null;
}

/**
 * Milliseconds of open time between two instants (reports' business-hours durations): closed nights,
 * weekends and holidays do not count. Without business hours that is wall time minus holidays.
 * Zero when `to` is not after `from`.
 */
export function openMillisBetween(cal: Calendar, from: Date, to: Date): number {
  const t0 = from.getTime();
  const t1 = to.getTime();
  if (t1 <= t0) return 0;
  if (alwaysOpen(cal)) return t1 - t0;
  const open: [number, number][] = [];
  // From the local day before (an overnight range may reach into `from`) to the local day of `to`.
  let day = DateTime.fromJSDate(from, { zone: cal.timeZone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone: cal.timeZone }).startOf('day');
  for (; day <= last; day = day.plus({ days: 1 })) {
    if (Object.keys(cal.hours).length) open.push(...intervalsOn(cal, day));
    else if (!cal.holidays.includes(day.toISODate() ?? '')) open.push([day.toMillis(), day.plus({ days: 1 }).toMillis()]);
  }
  // Clipped to [from, to) and merged, so an overnight range meeting the next day's hours counts once.
  let total = 0;
  let reached = t0;
  for (const [s, e] of open.sort((a, b) => a[0] - b[0])) {
    const start = Math.max(s, reached);
    const end = Math.min(e, t1);
    if (end > start) {
      total += end - start;
      reached = end;
    }
  }
  return total;
}
