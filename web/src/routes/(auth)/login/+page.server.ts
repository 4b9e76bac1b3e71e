import { safeNext } from '@autocrm/shared';
import type { components } from '@autocrm/shared/api-types';
import { fail, redirect } from '@sveltejs/kit';
import { carrySessionCookie } from '$lib/server/carry-session';
import { apiClient } from '$lib/server/client';
import { t } from '$lib/strings';
import type { Actions, PageServerLoad } from './$types';

// Only same-origin relative paths survive (backslash, control and encoded forms fall back).

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return { reset: url.searchParams.get('reset') === '1' };
};

type Step = { step: 'code' | 'enrol'; challenge: string; email: string; key?: { secret: string; qrSvg: string } };

/** An answer of a sign-in call (password, code or enrolment), as the typed client returns it. */
type SignInAnswer = { data?: components['schemas']['SignInResult']; response: Response };

/** The next screen after an answer of the sign-in API: signed in (redirect), a second step, or an error. */
async function next(event: Parameters<Actions[string]>[0], { data, response }: SignInAnswer, email: string) {
  if (response.status === 429) return fail(429, { email, error: t.login.rateLimited });
  if (!data) return null;
  if (data.status === 'two_factor_required') return { step: 'code', challenge: data.challenge, email } satisfies Step;
  if (data.status !== 'signed_in') {
    const key = await apiClient(event, { anonymous: true }).POST('/auth/login/enrol/start', {
      body: { challenge: data.challenge },
    });
    if (!key.data) return fail(400, { email, error: 'This sign-in expired. Enter your password again.' });
    return {
      step: 'enrol',
      challenge: data.challenge,
      email,
      key: { secret: key.data.secret, qrSvg: key.data.qrSvg },
    } satisfies Step;
  }
  if (!carrySessionCookie(event, response.headers)) return fail(500, { email, error: t.errors.generic });
  // Recovery codes are shown once, right after enrolment; everyone else goes straight on.
  if (data.recoveryCodes) return { recoveryCodes: data.recoveryCodes, next: safeNext(event.url.searchParams.get('next')) };
  redirect(303, safeNext(event.url.searchParams.get('next')));
}

// One default action (posts without JavaScript, and older links, keep working); a hidden `step` field
// says which screen was submitted. SvelteKit allows no named actions next to a default one.
const steps = {
  password: async (event: Parameters<Actions[string]>[0], form: FormData) => {
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const res = await apiClient(event).POST('/auth/login', { body: { email, password } });
    return (await next(event, res, email)) ?? fail(400, { email, error: t.login.failed });
  },
  code: async (event: Parameters<Actions[string]>[0], form: FormData) => {
    const challenge = String(form.get('challenge') ?? '');
    const email = String(form.get('email') ?? '');
    const code = String(form.get('code') ?? '').trim();
    const res = await apiClient(event, { anonymous: true }).POST('/auth/login/two-factor', { body: { challenge, code } });
    const done = await next(event, res, email);
    if (done) return done;
    if (res.error?.error.code === 'invalid_code')
      return fail(400, { step: 'code', challenge, email, error: 'That code did not work. Try the newest code from your app.' });
    return fail(400, { email, error: 'This sign-in expired. Enter your password again.' });
  },
  enrol: async (event: Parameters<Actions[string]>[0], form: FormData) => {
    const challenge = String(form.get('challenge') ?? '');
    const email = String(form.get('email') ?? '');
    const key = { secret: String(form.get('secret') ?? ''), qrSvg: '' };
    const code = String(form.get('code') ?? '').trim();
    const res = await apiClient(event, { anonymous: true }).POST('/auth/login/enrol', { body: { challenge, code } });
    const done = await next(event, res, email);
    if (done) return done;
    if (res.error?.error.code === 'invalid_code')
      return fail(400, {
        step: 'enrol',
        challenge,
        email,
        key,
        error: 'That code did not work. Check the time on your phone and try again.',
      });
    return fail(400, { email, error: 'This sign-in expired. Enter your password again.' });
  },
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const step = String(form.get('step') ?? 'password');
    return (steps[step as keyof typeof steps] ?? steps.password)(event, form);
  },
};
