import { error } from '@sveltejs/kit';
import { helpLocales } from '$lib/server/help';
import type { LayoutServerLoad } from './$types';

/** Every help center page: the locale from the URL must be one the help center has. */
export const load: LayoutServerLoad = async (event) => {
  const { locales, defaultLocale } = await helpLocales(event);
  if (!locales.includes(event.params.locale)) error(404, 'unknown locale');
  return { locale: event.params.locale, locales, defaultLocale };
};
