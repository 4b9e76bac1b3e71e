import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['agent', 'supervisor', 'admin'] as const;
type Role = (typeof ROLES)[number];
const asRole = (v: FormDataEntryValue | null): Role | undefined =>
  (ROLES as readonly string[]).includes(String(v)) ? (v as Role) : undefined;

export const load: PageServerLoad = async (event) => {
  const { data, error, response } = await apiClient(event).GET('/users');
  return {
    users: data?.data ?? [],
    listError: error ? apiErrorMessage(error, response.status) : null,
    canManage: event.locals.user?.role === 'admin',
    me: event.locals.user?.id ?? null,
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = {
      email: String(form.get('email') ?? '').trim(),
      name: String(form.get('name') ?? '').trim(),
      role: asRole(form.get('role')) ?? 'agent',
    };
    const password = String(form.get('password') ?? '');
    const { data, error, response } = await apiClient(event).POST('/users', { body: { ...values, password } });
    if (!data) {
      const issues = (error as { error?: { issues?: { path: string; message: string }[] } })?.error?.issues ?? [];
      const errors: Record<string, string> = {};
      for (const i of issues) errors[String(i.path).split('.')[0] || 'form'] ??= i.message;
      if (!Object.keys(errors).length) errors.form = apiErrorMessage(error, response.status);
      return fail(response.status === 403 ? 403 : 400, { create: { values, errors } });
    }
    return { created: data.email };
  },
  update: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const role = asRole(form.get('role'));
    const active = form.has('active') ? form.get('active') === 'true' : undefined;
    const { data, error, response } = await apiClient(event).PATCH('/users/{id}', {
      params: { path: { id } },
      body: { ...(role ? { role } : {}), ...(active !== undefined ? { active } : {}) },
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { updateError: apiErrorMessage(error, response.status), id });
    return { updated: data.email };
  },
};
