import { fail } from '@sveltejs/kit';
import { api, fieldErrors } from '$lib/server/api';
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
    const res = await api(event, 'PATCH', `/inboxes/${id}/email`, body);
    if (res.status !== 200) return fail(400, { id, errors: fieldErrors(res.body), message: res.body?.error?.message });
    return { id, saved: true };
  },
  imapTest: async (event) => {
    const f = await event.request.formData();
    const id = text(f, 'id');
    const res = await api(event, 'POST', `/inboxes/${id}/email/imap/test`, {});
    if (res.status !== 200) return fail(400, { id, errors: fieldErrors(res.body), message: res.body?.error?.message });
    return { id, imapTest: res.body as { ok: boolean; error: string | null } };
  },
  signature: async (event) => {
    const f = await event.request.formData();
    const res = await api(event, 'PUT', '/me/email-signature', { signature: text(f, 'mySignature') || null });
    if (res.status !== 200) return fail(400, { id: 'me', message: res.body?.error?.message });
    return { id: 'me', saved: true };
  },
  test: async (event) => {
    const f = await event.request.formData();
    const id = text(f, 'id');
    const to = text(f, 'to');
    const res = await api(event, 'POST', `/inboxes/${id}/email/test`, to ? { to } : {});
    if (res.status !== 200) return fail(400, { id, errors: fieldErrors(res.body), message: res.body?.error?.message });
    return { id, test: res.body as { ok: boolean; sent: boolean; error: string | null } };
  },
};
