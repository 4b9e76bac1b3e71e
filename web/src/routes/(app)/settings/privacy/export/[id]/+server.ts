import { error } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { RequestHandler } from './$types';

/** The contact's export as a file download (the API call is audited). */
export const GET: RequestHandler = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins export personal data.');
  const includeNotes = event.url.searchParams.get('notes') === 'true' ? 'true' : 'false';
  const {
    data,
    error: err,
    response,
  } = await apiClient(event).GET('/admin/contacts/{id}/export', {
    params: { path: { id: event.params.id }, query: { includeNotes } },
  });
  if (!data) error(response.status === 404 ? 404 : 400, apiErrorMessage(err, response.status));
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="contact-${event.params.id}.json"`,
      'cache-control': 'no-store',
    },
  });
};
