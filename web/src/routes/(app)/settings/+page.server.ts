import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// /settings opens the first section; the sections themselves link to each other.
export const load: PageServerLoad = async () => {
  redirect(303, '/settings/users');
};
