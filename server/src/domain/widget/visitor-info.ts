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

export type RecordVisitorInfoProps = {
  visitor: VisitorContext;
  info: z.infer<typeof VisitorInfoInput>;
  userAgent: string;
  now?: Date;
};

/** Stores what the widget told about its page and browser on the visitor's contact (the latest wins). */
export async function recordVisitorInfo(db: Db, { visitor, ...props }: RecordVisitorInfoProps): Promise<VisitorInfo> {
  const info: VisitorInfo = {
    ...props.info,
    ...describeUserAgent(props.userAgent.slice(0, 500)),
    seenAt: (props.now ?? new Date()).toISOString(),
  };
  await db
    .updateTable('contacts')
    .set({ visitor_context: JSON.stringify(info) })
    .where('id', '=', visitor.contactId)
    .execute();
  return info;
}
