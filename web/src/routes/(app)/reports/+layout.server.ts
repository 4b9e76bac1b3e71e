import type { LayoutServerLoad } from './$types';
import { filterChoices, queryString, reportQueryOf } from './report-query';

export const load: LayoutServerLoad = async (event) => {
  const query = reportQueryOf(event.url);
  return { query, qs: queryString(query), choices: await filterChoices(event), role: event.locals.user?.role ?? 'agent' };
};
