import type { VisitorInfo, VisitorInfoInput } from '@autocrm/shared';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import type { VisitorContext } from './visitors';

// Browser and OS families from a User-Agent, for people to read ("Chrome on macOS"), not for logic.
// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", iOS says "Mac OS X".
const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

export function describeUserAgent(ua: string): { browser: string | null; os: string | null } {
  const pick = (list: [RegExp, string][]) => list.find(([re]) => re.test(ua))?.[1] ?? null;
  return { browser: pick(BROWSERS), os: pick(SYSTEMS) };
}

/** A visit ends after this long without a report; the next page starts a new list. */
const VISIT_GAP_MS = 30 * 60_000;
const MAX_PAGES = 20;

/**
 * A rough location from an IANA time zone ("Europe/Berlin" -> Berlin, Europe): the zone's city is where most
 * people in it are not, but it names the region honestly without an IP database. Zones without a city
 * ("UTC", "Etc/GMT+1") give none.
 */
export function locationFromTimeZone(tz: string | undefined): VisitorInfo['location'] {
  const parts = tz?.split('/') ?? [];
  if (parts.length < 2 || parts[0] === 'Etc') return null;
  const city = parts.at(-1)!.replace(/_/g, ' ');
  return { city, region: parts[0]!.replace(/_/g, ' '), source: 'time_zone' };
}

export type RecordVisitorInfoProps = {
  visitor: VisitorContext;
  info: z.infer<typeof VisitorInfoInput>;
  userAgent: string;
  now?: Date;
};

/** Stores what the widget told about its page and browser on the visitor's contact (the latest wins). */
export async function recordVisitorInfo(db: Db, { visitor, ...props }: RecordVisitorInfoProps): Promise<VisitorInfo> {
  const now = props.now ?? new Date();
  const before = await db.selectFrom('contacts').select('visitor_context').where('id', '=', visitor.contactId).executeTakeFirst();
  const prev = before?.visitor_context as VisitorInfo | null | undefined;
  // The pages of this visit: continued while reports keep coming, a new page added when the URL changes.
  const sameVisit = prev?.seenAt && now.getTime() - new Date(prev.seenAt).getTime() < VISIT_GAP_MS;
  let pages = sameVisit ? [...(prev?.pages ?? [])] : [];
  const url = props.info.pageUrl;
  if (url && pages.at(-1)?.url !== url) {
    pages = [...pages, { url, title: props.info.pageTitle ?? null, at: now.toISOString() }].slice(-MAX_PAGES);
  }
  const info: VisitorInfo = {
    ...props.info,
    ...describeUserAgent(props.userAgent.slice(0, 500)),
    seenAt: now.toISOString(),
    pages,
    location: locationFromTimeZone(props.info.timeZone),
  };
  await db
    .updateTable('contacts')
    .set({ visitor_context: JSON.stringify(info) })
    .where('id', '=', visitor.contactId)
    .execute();
  return info;
}
