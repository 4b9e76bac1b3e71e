import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['agent', 'supervisor', 'admin'] as const;
type Role = (typeof ROLES)[number];
const asRole = (v: FormDataEntryValue | null): Role | undefined =>
  (ROLES as readonly string[]).includes(String(v)) ? (v as Role) : undefined;

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const canManage = event.locals.user?.role === 'admin';
  const [{ data, error, response }, invitations, security, inboxes] = await Promise.all([
    client.GET('/users'),
    canManage ? client.GET('/invitations') : undefined,
    canManage ? client.GET('/security-settings') : undefined,
    canManage ? client.GET('/inboxes') : undefined,
  ]);
  return {
    users: data?.data ?? [],
    listError: error ? apiErrorMessage(error, response.status) : null,
    canManage,
    me: event.locals.user?.id ?? null,
    invitations: invitations?.data?.data ?? [],
    requireTwoFactorRoles: security?.data?.requireTwoFactorRoles ?? [],
    inboxes: (inboxes?.data?.data ?? []).map((i) => ({ id: i.id, name: i.name })),
  };
};

const invitationError = (error: unknown, status: number) => {
  const issue = (error as { error?: { issues?: { path: string; message: string }[] } })?.error?.issues?.[0];
  return issue ? `${issue.path}: ${issue.message}` : apiErrorMessage(error, status);
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
  invite: async (event) => {
    const form = await event.request.formData();
    const values = {
      email: String(form.get('email') ?? '').trim(),
      name: String(form.get('name') ?? '').trim(),
      role: asRole(form.get('role')) ?? 'agent',
      inboxIds: form.getAll('inboxIds').map(String),
      language: String(form.get('language') ?? ''),
    };
    const { data, error, response } = await apiClient(event).POST('/invitations', {
      body: {
        email: values.email,
        role: values.role,
        inboxIds: values.inboxIds,
        ...(values.name ? { name: values.name } : {}),
        ...(values.language === 'en' || values.language === 'de' ? { language: values.language } : {}),
      },
    });
    if (!data)
      return fail(response.status === 403 ? 403 : 400, { invite: { values, error: invitationError(error, response.status) } });
    return { invited: data.email };
  },
  resend: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { data, error, response } = await apiClient(event).POST('/invitations/{id}/resend', { params: { path: { id } } });
    if (!data) return fail(400, { invitationError: apiErrorMessage(error, response.status) });
    return { resent: data.email };
  },
  revoke: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { data, error, response } = await apiClient(event).DELETE('/invitations/{id}', { params: { path: { id } } });
    if (!data) return fail(400, { invitationError: apiErrorMessage(error, response.status) });
    return { revoked: data.email };
  },
  resetTwoFactor: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { error, response } = await apiClient(event).POST('/users/{id}/two-factor/reset', { params: { path: { id } } });
    if (!response.ok) return fail(400, { updateError: apiErrorMessage(error, response.status), id });
    return { updated: 'two-factor sign-in reset' };
  },
  resetPassword: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { data, error, response } = await apiClient(event).POST('/users/{id}/password-reset', { params: { path: { id } } });
    if (!data) return fail(response.status === 403 ? 403 : 400, { updateError: apiErrorMessage(error, response.status), id });
    return { resetSent: data.email };
  },
  security: async (event) => {
    const form = await event.request.formData();
    const roles = form
      .getAll('requireTwoFactorRoles')
      .map((r) => asRole(r))
      .filter((r): r is Role => !!r);
    const { data, error, response } = await apiClient(event).PUT('/security-settings', {
      body: { requireTwoFactorRoles: roles },
    });
    if (!data) return fail(400, { securityError: apiErrorMessage(error, response.status) });
    return { securitySaved: true };
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
