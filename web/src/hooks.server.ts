import { type Handle, redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/api';
import { apiClient } from '$lib/server/client';

const PUBLIC = new Set(['/login', '/forgot-password']);
/** Where user files are served from when not from this origin (the server's UPLOADS_ORIGIN setting). */
const UPLOADS_ORIGIN = (() => {
  try {
    return process.env.UPLOADS_ORIGIN ? new URL(process.env.UPLOADS_ORIGIN).origin : '';
  } catch {
    return '';
  }
})();
/** Pages reached from a mailed link (invitation, new password), signed out. */
const isLinkPage = (path: string) => path.startsWith('/invite/') || path.startsWith('/reset-password/');
/** The public help center: no sign-in; `/help/<locale>/…` also sets <html lang>. */
const isHelp = (path: string) => path === '/help' || path.startsWith('/help/');
/** The customer portal: its own sign-in and cookie (lib/server/portal.ts); agents' sessions play no part. */
const isPortal = (path: string) => path === '/portal' || path.startsWith('/portal/');
const HELP_LOCALE = /^\/help\/([a-z]{2}(?:-[A-Z]{2})?)(?:\/|$)/;

/** Loads the signed-in user from the session cookie (via the API) and sends everyone else to /login. */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.csrfToken = null;
  event.locals.sessionCookie = event.cookies.get(SESSION_COOKIE) ?? null;
  if (isPortal(event.url.pathname)) {
    const response = await resolve(event, {
      transformPageChunk: ({ html }) =>
        event.locals.lang && event.locals.lang !== 'en'
          ? html.replace('<html lang="en">', `<html lang="${event.locals.lang}">`)
          : html,
    });
    response.headers.set('X-Frame-Options', 'DENY');
    response.headers.set('Referrer-Policy', 'same-origin');
    response.headers.set('X-Content-Type-Options', 'nosniff');
    return response;
  }
  if (event.locals.sessionCookie) {
    const { data, response } = await apiClient(event).GET('/auth/session');
    if (data) {
      event.locals.user = data.user;
      event.locals.csrfToken = data.csrfToken;
    } else if (response.status === 401) {
      event.cookies.delete(SESSION_COOKIE, { path: '/' });
    }
  }
  if (!event.locals.user && !PUBLIC.has(event.url.pathname) && !isLinkPage(event.url.pathname) && !isHelp(event.url.pathname)) {
    const next = event.url.pathname + event.url.search;
    redirect(303, `/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
  }
  // The help center's language is in its path; the workspace's and the portal's are known once their
  // layouts load (locals.lang), which is before the first chunk is rendered. Said in the server's HTML, not
  // only after hydration: screen readers and pages without JavaScript read it there.
  const helpLang = HELP_LOCALE.exec(event.url.pathname)?.[1];
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => {
      const lang = helpLang ?? event.locals.lang;
      return lang && lang !== 'en' ? html.replace('<html lang="en">', `<html lang="${lang}">`) : html;
    },
  });
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  // kit.csp is fixed at build time; a separate uploads origin is a run-time setting.
  const csp = response.headers.get('content-security-policy');
  if (csp && UPLOADS_ORIGIN)
    response.headers.set('content-security-policy', csp.replace(/(^|;\s*)img-src /, `$1img-src ${UPLOADS_ORIGIN} `));
  return response;
};
