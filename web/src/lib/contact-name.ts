import type { components } from '@autocrm/shared/api-types';

type Contact = components['schemas']['Contact'];

/**
 * What to call a contact in rows and headers: their name, their email, or for a widget visitor who
 * gave neither a readable "Visitor from Berlin · Chrome on macOS" from what the widget reported (the place from
 * the time zone).
 */
export function contactName(c: Pick<Contact, 'name' | 'email' | 'visitorInfo'> | null | undefined): string | null {
  if (!c) return null;
  if (c.name) return c.name;
  if (c.email) return c.email;
  const v = c.visitorInfo;
  if (!v) return null;
  const device = v.browser && v.os ? `${v.browser} on ${v.os}` : (v.browser ?? v.os);
  const who = v.location?.city ? `Visitor from ${v.location.city}` : 'Visitor';
  return device ? `${who} · ${device}` : who;
}

/** The visitor's local time now, in their time zone (null when the zone is unknown to this browser). */
export function localTime(timeZone: string | undefined, now: number): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
  } catch {
    return null;
  }
}
