import { stringsFor } from '@autocrm/shared/strings';
import { fail, redirect } from '@sveltejs/kit';
import { portalApi, setPortalCookie } from '$lib/server/portal';
import type { Actions } from './$types';

// Opening the mailed link signs nobody in by itself (mail scanners open links): the page asks for one
// press, and that POST spends the link.
export const actions: Actions = {
  default: async (event) => {
    const s = stringsFor('portal', event.request.headers.get('accept-language'));
    const { data, response } = await portalApi(event).POST('/portal/sign-in/link/redeem', {
      body: { token: event.params.token },
    });
    if (response.status === 410) return fail(410, { error: s.linkExpired });
    if (!data) return fail(400, { error: s.linkInvalid });
    setPortalCookie(event, data);
    redirect(303, '/portal');
  },
};
