import { helpLocales, pickLocale } from '$lib/server/help';
import type { RequestHandler } from './$types';

/** /help goes to the help center in the reader's language when it has one, else in the default locale. */
export const GET: RequestHandler = async (event) => {
  const { locales, defaultLocale } = await helpLocales(event);
  const locale = pickLocale(event.request.headers.get('accept-language'), locales, defaultLocale);
  return new Response(null, { status: 307, headers: { location: `/help/${locale}`, vary: 'Accept-Language' } });
};
