import { SCOPES, type Scope } from '@autocrm/shared';
import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins manage API keys.');
  const { data, error: err, response } = await apiClient(event).GET('/api-keys');
  return { keys: data?.data ?? [], listError: err ? apiErrorMessage(err, response.status) : null, scopes: SCOPES };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const scopes = form
      .getAll('scopes')
      .map(String)
      .filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
    if (!name) return fail(400, { createError: 'Give the key a name that says where it is used.', name, scopes });
    if (!scopes.length) return fail(400, { createError: 'Pick at least one scope.', name, scopes });
    const { data, error: err, response } = await apiClient(event).POST('/api-keys', { body: { name, scopes } });
    if (!data) return fail(400, { createError: apiErrorMessage(err, response.status), name, scopes });
    // The key itself is shown once, in this response, and never stored by the page.
    return { created: { name: data.name, key: data.key, scopes: data.scopes } };
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { error: err, response } = await apiClient(event).DELETE('/api-keys/{id}', { params: { path: { id } } });
    if (!response.ok) return fail(400, { revokeError: apiErrorMessage(err, response.status) });
    return { revoked: true };
  },
};
