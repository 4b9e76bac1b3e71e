import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

const CATEGORIES = ['open', 'pending', 'resolved', 'closed'] as const;
type Category = (typeof CATEGORIES)[number];

export const load: PageServerLoad = async (event) => {
  const { data, error, response } = await apiClient(event).GET('/statuses');
  return {
    statuses: data?.data ?? [],
    listError: error ? apiErrorMessage(error, response.status) : null,
    canManage: event.locals.user?.role === 'admin',
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const category = String(form.get('category'));
    const values = {
      name: text(form, 'name') ?? '',
      category: ((CATEGORIES as readonly string[]).includes(category) ? category : 'open') as Category,
      position: Number(form.get('position') ?? 0) || 0,
    };
    const { data, error, response } = await apiClient(event).POST('/statuses', { body: values });
    if (!data) return fail(400, { create: { values, errors: fieldErrors(error, response.status) } });
    return { created: data.name };
  },
  update: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const body = {
      ...(form.has('name') ? { name: text(form, 'name') ?? '' } : {}),
      ...(form.has('position') ? { position: Number(form.get('position')) || 0 } : {}),
      ...(form.get('isDefault') === 'true' ? { isDefault: true as const } : {}),
    };
    const { data, error, response } = await apiClient(event).PATCH('/statuses/{id}', { params: { path: { id } }, body });
    if (!data) return fail(400, { updateError: apiErrorMessage(error, response.status), id });
    return { updated: data.name };
  },
  remove: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const newDefaultId = String(form.get('newDefaultId') ?? '');
    const body = {
      replacementId: String(form.get('replacementId') ?? ''),
      ...(newDefaultId ? { newDefaultId } : {}),
    };
    const { data, error, response } = await apiClient(event).POST('/statuses/{id}/delete', { params: { path: { id } }, body });
    if (!data) return fail(400, { deleteError: apiErrorMessage(error, response.status), id });
    return { deleted: String(form.get('name') ?? ''), moved: data.movedConversations };
  },
};
