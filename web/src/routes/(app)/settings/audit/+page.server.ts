import { error } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins read the audit log.');
  const q = event.url.searchParams;
  const filters = {
    entityType: q.get('entityType')?.trim() || undefined,
    entityId: q.get('entityId')?.trim() || undefined,
  };
  const cursor = q.get('cursor') || undefined;
  const {
    data,
    error: err,
    response,
  } = await apiClient(event).GET('/audit-log', {
    params: { query: { ...filters, limit: 50, ...(cursor ? { cursor } : {}) } },
  });
  return {
    entries: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    filters,
    listError: err ? apiErrorMessage(err, response.status) : null,
  };
};
