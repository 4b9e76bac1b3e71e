import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from './api';

/**
 * The API set the session cookie on its own response (sign-in, second step, accepted invitation): carry
 * it over to the browser. False when the response has none.
 */
export function carrySessionCookie(event: Pick<RequestEvent, 'cookies' | 'url'>, headers: Headers): boolean {
  const setCookie = headers.get('set-cookie') ?? '';
  const cookie = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
  const maxAge = Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1] ?? 0) || undefined;
  if (!cookie) return false;
  event.cookies.set(SESSION_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
    ...(maxAge ? { maxAge } : {}),
  });
  return true;
}
