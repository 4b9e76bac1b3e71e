import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/inbox');

export const actions: Actions = {
  default: async (event) => {
    await apiClient(event).POST('/auth/logout');
    event.cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login');
  },
};
