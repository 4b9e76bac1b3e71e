// The lists the routing forms offer. The API's shapes come from the generated contract through the typed
// client (web/src/lib/server/client.ts); nothing here repeats them.
import type { components } from '@autocrm/shared/api-types';

export { PRIORITIES } from '@autocrm/shared/enum-values';

// Browser code must not pull zod (schemas/routing.ts) into the bundle, so the weekday list comes from the
// contract's type and is checked against it: a day added to the API and not here fails to compile.
type Weekday = keyof components['schemas']['BusinessHours'];
const DAYS: { [D in Weekday]: true } = { mon: true, tue: true, wed: true, thu: true, fri: true, sat: true, sun: true };
export const WEEKDAYS = Object.keys(DAYS) as Weekday[];
