import { randomUUID } from 'node:crypto';
import { error, fail } from '@sveltejs/kit';
import { portalApi, requireCustomer, uploadFiles } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const api = portalApi(event);
  const [ticket, live] = await Promise.all([
    api.GET('/portal/tickets/{id}', { params: { path: { id: event.params.id } } }),
    api.GET('/portal/live-token'),
  ]);
  if (ticket.response.status === 401) return { detail: null, liveToken: null };
  if (!ticket.data) error(404, 'Ticket not found');
  return { detail: ticket.data, liveToken: live.data?.token ?? null };
};

const apiError = (error: { error?: { message?: string } } | undefined) => error?.error?.message ?? 'The request failed.';
/** This ticket, for the path of its operations. */
const thisTicket = (event: { params: { id: string } }) => ({ params: { path: { id: event.params.id } } });

export const actions: Actions = {
  /** A reply, with or without JavaScript; files go through the portal's sniffing upload first. */
  reply: async (event) => {
    requireCustomer(event);
    const form = await event.request.formData();
    const body = String(form.get('body') ?? '').trim();
    const clientId = String(form.get('clientId') ?? '') || randomUUID();
    const uploaded = await uploadFiles(event, form.getAll('files'));
    if ('error' in uploaded) return fail(400, { body, replyError: uploaded.error });
    if (!body && !uploaded.attachments.length) return fail(400, { body, replyError: 'Write a reply or attach a file.' });
    const { error, response } = await portalApi(event).POST('/portal/tickets/{id}/messages', {
      ...thisTicket(event),
      body: { body, clientId, ...(uploaded.attachments.length ? { attachments: uploaded.attachments } : {}) },
    });
    if (!response.ok) return fail(response.status === 429 ? 429 : 400, { body, replyError: apiError(error) });
    return { sent: true };
  },
  close: async (event) => {
    requireCustomer(event);
    const { error, response } = await portalApi(event).POST('/portal/tickets/{id}/close', thisTicket(event));
    if (!response.ok) return fail(400, { closeError: apiError(error) });
    return { closed: true };
  },
  rate: async (event) => {
    requireCustomer(event);
    const form = await event.request.formData();
    const rating = Number(form.get('rating'));
    const comment = String(form.get('comment') ?? '').trim();
    const { error, response } = await portalApi(event).POST('/portal/tickets/{id}/rating', {
      ...thisTicket(event),
      body: { rating, ...(comment ? { comment } : {}) },
    });
    if (!response.ok) return fail(400, { rateError: apiError(error) });
    return { rated: true };
  },
};
