import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, type Calendar, isOpen } from './business-hours';

const weekdays = { start: '09:00', end: '17:00' };
const berlin: Calendar = {
  timeZone: 'Europe/Berlin',
  hours: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
  holidays: ['2026-12-25'],
};
const newYork: Calendar = { ...berlin, timeZone: 'America/New_York', holidays: [] };

describe('business hours', () => {
  it('is open in the team time zone, not in UTC', () => {
    // Monday 2026-11-23 08:30 UTC is 09:30 in Berlin and 03:30 in New York.
    const at = new Date('2026-11-23T08:30:00Z');
    expect(isOpen(berlin, at)).toBe(true);
    expect(isOpen(newYork, at)).toBe(false);
    // 16:30 UTC: 17:30 in Berlin (closed), 11:30 in New York (open).
    expect(isOpen(berlin, new Date('2026-11-23T16:30:00Z'))).toBe(false);
    expect(isOpen(newYork, new Date('2026-11-23T16:30:00Z'))).toBe(true);
  });

  it('is closed on weekends and holidays', () => {
    expect(isOpen(berlin, new Date('2026-11-28T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(berlin, new Date('2026-12-25T10:00:00Z'))).toBe(false); // Friday, holiday
    expect(isOpen(berlin, new Date('2026-12-24T10:00:00Z'))).toBe(true);
  });

  it('handles overnight ranges', () => {
    const night: Calendar = { timeZone: 'UTC', hours: { mon: [{ start: '22:00', end: '06:00' }] }, holidays: [] };
    expect(isOpen(night, new Date('2026-11-23T23:00:00Z'))).toBe(true);
    expect(isOpen(night, new Date('2026-11-24T05:59:00Z'))).toBe(true);
    expect(isOpen(night, new Date('2026-11-24T06:00:00Z'))).toBe(false);
  });

  it('counts SLA time across a weekend in business hours', () => {
    // Friday 16:00 Berlin (15:00 UTC) + 4 business hours = 1 h Friday + 3 h Monday → Monday 12:00 Berlin.
    const due = addBusinessMinutes({ cal: berlin, from: new Date('2026-11-27T15:00:00Z'), minutes: 240 });
    expect(due?.toISOString()).toBe('2026-11-30T11:00:00.000Z');
  });

  it('skips a holiday and starts counting at opening when created at night', () => {
    // Thursday 24 Dec 20:00 Berlin: closed; Friday 25 Dec holiday; weekend; Monday 28 Dec 09:00 + 30 min.
    const due = addBusinessMinutes({ cal: berlin, from: new Date('2026-12-24T19:00:00Z'), minutes: 30 });
    expect(due?.toISOString()).toBe('2026-12-28T08:30:00.000Z');
  });

  it('counts wall time on an always-open calendar, and across a DST change in local time', () => {
    const open: Calendar = { timeZone: 'UTC', hours: {}, holidays: [] };
    expect(addBusinessMinutes({ cal: open, from: new Date('2026-11-27T15:00:00Z'), minutes: 240 })?.toISOString()).toBe(
      '2026-11-27T19:00:00.000Z',
    );
    // Berlin leaves summer time on Sunday 25 Oct 2026: Monday opens at 08:00 UTC instead of 07:00.
    const due = addBusinessMinutes({ cal: berlin, from: new Date('2026-10-23T14:00:00Z'), minutes: 120 }); // Fri 16:00 CEST
    expect(due?.toISOString()).toBe('2026-10-26T09:00:00.000Z'); // Mon 10:00 CET
  });

  it('gives up on a calendar that never opens', () => {
    const never: Calendar = { timeZone: 'UTC', hours: { mon: [] }, holidays: [] };
    expect(addBusinessMinutes({ cal: never, from: new Date('2026-11-23T00:00:00Z'), minutes: 10 })).toBeNull();
  });
});
