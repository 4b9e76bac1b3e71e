import { CUSTOM_FIELD_TYPES, type CustomFieldType } from '@autocrm/shared';
import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

/** Options are typed one per line (commas are allowed inside an option). */
const optionsOf = (form: FormData) =>
  String(form.get('options') ?? '')
    .split(/\r?\n/)
    .map((o) => o.trim())
    .filter(Boolean);

export const load: PageServerLoad = async (event) => {
  const { data, error, response } = await apiClient(event).GET('/custom-fields', { params: { query: { entity: 'all' } } });
  return {
    fields: data?.data ?? [],
    listError: error ? apiErrorMessage(error, response.status) : null,
    canManage: event.locals.user?.role === 'admin',
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const type = String(form.get('type'));
    const values = {
      key: text(form, 'key') ?? '',
      label: text(form, 'label') ?? '',
      type: ((CUSTOM_FIELD_TYPES as readonly string[]).includes(type) ? type : 'text') as CustomFieldType,
      options: optionsOf(form),
      required: form.get('required') === 'on',
      customerVisible: form.get('customerVisible') === 'on',
      entity: (form.get('entity') === 'contact' ? 'contact' : 'conversation') as 'contact' | 'conversation',
    };
    const { data, error, response } = await apiClient(event).POST('/custom-fields', { body: values });
    if (!data) return fail(400, { create: { values, errors: fieldErrors(error, response.status) } });
    return { created: data.label };
  },
  update: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const selects = form.get('selects') === 'true';
    const body = {
      label: text(form, 'label') ?? '',
      required: form.get('required') === 'on',
      customerVisible: form.get('customerVisible') === 'on',
      ...(selects ? { options: optionsOf(form) } : {}),
    };
    const { data, error, response } = await apiClient(event).PATCH('/custom-fields/{id}', { params: { path: { id } }, body });
    if (!data) return fail(400, { updateError: apiErrorMessage(error, response.status), id });
    return { updated: data.label };
  },
};
