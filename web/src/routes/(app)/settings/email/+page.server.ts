import { fail } from '@sveltejs/kit';
import { fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const inboxes = await client.GET('/inboxes');
  const email = (inboxes.data?.data ?? []).filter((i) => i.channel === 'email');
  const settings = await Promise.all(email.map((i) => client.GET('/inboxes/{id}/email', { params: { path: { id: i.id } } })));
  const mine = await client.GET('/me/email-signature');
  return {
    mySignature: mine.data?.signature ?? null,
    inboxes: email.map((i, n) => ({ ...i, settings: settings[n]!.data ?? null })),
    forbidden: inboxes.response.status === 403 || settings.some((s) => s.response.status === 403),
  };
};

const text = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

export const actions: Actions = {
  save: async (event) => {
    const f = await event.request.formData();
    const id = text(f, 'id');
    const host = text(f, 'host');
    const password = String(f.get('password') ?? '');
    const imapHost = text(f, 'imapHost');
    const imapPassword = String(f.get('imapPassword') ?? '');
    const dkimDomain = text(f, 'dkimDomain');
    const dkimKey = text(f, 'dkimKey');
    const body = {
      ...(text(f, 'address') ? { address: text(f, 'address') } : {}),
      imap: imapHost
        ? {
            host: imapHost,
            port: Number(text(f, 'imapPort') || '993'),
            secure: f.get('imapSecure') === 'on',
            user: text(f, 'imapUser'),
            mailbox: text(f, 'imapMailbox') || 'INBOX',
            moveTo: text(f, 'imapMoveTo') || null,
            ...(imapPassword ? { password: imapPassword } : {}),
          }
        : null,
      dkim: dkimDomain
        ? { domain: dkimDomain, selector: text(f, 'dkimSelector') || 'autocrm', ...(dkimKey ? { privateKey: dkimKey } : {}) }
        : null,
      transcriptOnResolve: f.get('transcriptOnResolve') === 'on',
      csatByEmail: f.get('csatByEmail') === 'on',
      signature: text(f, 'signature') || null,
      smtp: host
        ? {
            host,
            port: Number(text(f, 'port') || '587'),
            secure: f.get('secure') === 'on',
            ...(text(f, 'user') ? { user: text(f, 'user') } : {}),
            ...(password ? { password } : {}),
          }
        : null,
    };
    const { error, response } = await apiClient(event).PATCH('/inboxes/{id}/email', { params: { path: { id } }, body });
    if (!response.ok) return fail(400, { id, errors: fieldErrors(error), message: error?.error?.message });
    return { id, saved: true };
  },
  imapTest: async (event) => {
    const f = await event.request.formData();
    const id = text(f, 'id');
    const { data, error } = await apiClient(event).POST('/inboxes/{id}/email/imap/test', { params: { path: { id } } });
    if (!data) return fail(400, { id, errors: fieldErrors(error), message: error?.error?.message });
    return { id, imapTest: data };
  },
  signature: async (event) => {
    const f = await event.request.formData();
    const { error, response } = await apiClient(event).PUT('/me/email-signature', {
      body: { signature: text(f, 'mySignature') || null },
    });
    if (!response.ok) return fail(400, { id: 'me', message: error?.error?.message });
    return { id: 'me', saved: true };
  },
  test: async (event) => {
    const f = await event.request.formData();
    const id = text(f, 'id');
    const to = text(f, 'to');
    const { data, error } = await apiClient(event).POST('/inboxes/{id}/email/test', {
      params: { path: { id } },
      body: to ? { to } : {},
    });
    if (!data) return fail(400, { id, errors: fieldErrors(error), message: error?.error?.message });
    return { id, test: data };
  },
};
