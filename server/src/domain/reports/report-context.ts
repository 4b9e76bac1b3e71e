import type { ReportQuery } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { scopedQuery } from './report-access';
import { reportTimeZone } from './report-settings';
import { type ReportWindow, reportWindow } from './report-window';

/** What each report starts from: the caller's query narrowed to what they may see, and its window. */
export async function reportContext(
  db: Db,
  props: { actor: Actor; query: ReportQuery },
): Promise<{ query: ReportQuery; window: ReportWindow }> {
  const query = scopedQuery(props.actor, props.query);
  const timeZone = query.timeZone ?? (await reportTimeZone(db));
  return { query, window: await reportWindow(db, { from: query.from, to: query.to, timeZone }) };
}
