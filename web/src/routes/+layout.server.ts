import { apiClient } from '$lib/server/client';
import { acceptLanguages, pickLanguage } from '$lib/strings';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const { locals, request } = event;
  // The workspace speaks the agent's profile language, else the browser's (see lib/strings.ts).
  const profile = locals.user ? (await apiClient(event).GET('/me')).data : undefined;
  const language = pickLanguage(profile?.locale, acceptLanguages(request.headers.get('accept-language')));
  // The help center and the portal set their own language (as the root layout's page does in the browser).
  // (Read untracked: this load must not run again on every navigation.)
  if (!event.untrack(() => /^\/(help|portal)(\/|$)/.test(event.url.pathname))) locals.lang = language;
  return { user: locals.user, csrfToken: locals.csrfToken, language };
};
