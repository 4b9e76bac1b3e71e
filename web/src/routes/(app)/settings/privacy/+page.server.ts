import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

const RETENTION_JOBS = ['apply-retention', 'prune-orphan-uploads'];
/** An empty field means "keep forever". */
const days = (v: FormDataEntryValue | null) => (String(v ?? '').trim() === '' ? null : Number(v));

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins manage retention and personal data.');
  const api = apiClient(event);
  const q = event.url.searchParams.get('q')?.trim() || undefined;
  const [policy, jobs, contacts] = await Promise.all([
    api.GET('/admin/retention'),
    api.GET('/admin/jobs'),
    q ? api.GET('/contacts', { params: { query: { q, limit: 20 } } }) : Promise.resolve(undefined),
  ]);
  return {
    policy: policy.data ?? null,
    loadError: policy.error ? apiErrorMessage(policy.error, policy.response.status) : null,
    jobs: (jobs.data?.data ?? []).filter((j) => RETENTION_JOBS.includes(j.name)),
    q: q ?? '',
    contacts: contacts?.data?.data ?? [],
  };
};

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const body = {
      conversations: {
        afterDays: days(form.get('conversationsAfterDays')),
        action: form.get('conversationsAction') === 'delete' ? ('delete' as const) : ('anonymize' as const),
      },
      attachmentsAfterDays: days(form.get('attachmentsAfterDays')),
      auditLogAfterDays: days(form.get('auditLogAfterDays')),
      orphanUploadsAfterHours: Number(form.get('orphanUploadsAfterHours') ?? 24),
    };
    const { data, error: err, response } = await apiClient(event).PUT('/admin/retention', { body });
    if (!data) return fail(400, { saveError: apiErrorMessage(err, response.status) });
    return { saved: true };
  },
  run: async (event) => {
    const name = String((await event.request.formData()).get('name') ?? '');
    const { data, error: err, response } = await apiClient(event).POST('/admin/jobs/{name}/run', { params: { path: { name } } });
    if (!data) return fail(400, { runError: apiErrorMessage(err, response.status) });
    return { ran: data.name, status: data.lastStatus };
  },
  erase: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    if (
      String(form.get('confirm') ?? '')
        .trim()
        .toUpperCase() !== 'ERASE'
    )
      return fail(400, { eraseError: 'Type ERASE to confirm: erasure cannot be undone.', eraseId: id });
    const {
      data,
      error: err,
      response,
    } = await apiClient(event).POST('/admin/contacts/{id}/erase', { params: { path: { id } } });
    if (!data) return fail(400, { eraseError: apiErrorMessage(err, response.status), eraseId: id });
    return { erased: data };
  },
};
