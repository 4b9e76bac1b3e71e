import { randomUUID } from 'node:crypto';
import { error, fail } from '@sveltejs/kit';
import { portalApi, requireCustomer, uploadFiles } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const [res, live] = await Promise.all([
    portalApi(event, 'GET', `/tickets/${encodeURIComponent(event.params.id)}`),
    portalApi<{ token: string }>(event, 'GET', '/live-token'),
  ]);
  if (res.status === 401) return { detail: null, liveToken: null };
  if (res.status !== 200) error(404, 'Ticket not found');
  return { detail: res.body as PortalTicketDetail, liveToken: live.status === 200 ? live.body.token : null };
};

export interface PortalTicketDetail {
  ticket: {
    id: string;
    number: number;
    subject: string | null;
    status: { name: string; category: 'open' | 'pending' | 'resolved' | 'closed' };
    channel: string;
    lastActivityAt: string;
    assigneeFirstName: string | null;
    csatRating: number | null;
  };
  messages: {
    id: string;
    seq: number;
    from: 'you' | 'agent' | 'bot' | 'system';
    authorName: string | null;
    bodyHtml: string;
    attachments: { name: string; url: string; size: number; contentType: string }[];
    createdAt: string;
  }[];
}

const apiError = (res: { body: any }) => res.body?.error?.message ?? 'The request failed.';

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
    const res = await portalApi(event, 'POST', `/tickets/${encodeURIComponent(event.params.id)}/messages`, {
      body,
      clientId,
      ...(uploaded.attachments.length ? { attachments: uploaded.attachments } : {}),
    });
    if (res.status !== 201) return fail(res.status === 429 ? 429 : 400, { body, replyError: apiError(res) });
    return { sent: true };
  },
  close: async (event) => {
    requireCustomer(event);
    const res = await portalApi(event, 'POST', `/tickets/${encodeURIComponent(event.params.id)}/close`);
    if (res.status !== 200) return fail(400, { closeError: apiError(res) });
    return { closed: true };
  },
  rate: async (event) => {
    requireCustomer(event);
    const form = await event.request.formData();
    const rating = Number(form.get('rating'));
    const comment = String(form.get('comment') ?? '').trim();
    const res = await portalApi(event, 'POST', `/tickets/${encodeURIComponent(event.params.id)}/rating`, {
      rating,
      ...(comment ? { comment } : {}),
    });
    if (res.status !== 200) return fail(400, { rateError: apiError(res) });
    return { rated: true };
  },
};
