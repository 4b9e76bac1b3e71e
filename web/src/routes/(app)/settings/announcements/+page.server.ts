import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { data, response } = await apiClient(event).GET('/announcements');
  return { announcements: data?.data ?? [], forbidden: response.status === 403 };
};

/** `plan=pro` lines into { plan: 'pro' } (true/false and numbers kept as such). */
function attributesOf(text: string): Record<string, string | number | boolean> | undefined {
  const out: Record<string, string | number | boolean> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const v = m[2]!;
    out[m[1]!] = v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return Object.keys(out).length ? out : undefined;
}

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const languages = String(form.get('languages') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    const days = Number(form.get('seenWithinDays') || 0);
    const values = {
      title: String(form.get('title') ?? ''),
      body: String(form.get('body') ?? ''),
      languages: languages.join(', '),
      seenWithinDays: days || '',
      attributes: String(form.get('attributes') ?? ''),
      sendEmail: form.get('sendEmail') === 'on',
    };
    const { data, error, response } = await apiClient(event).POST('/announcements', {
      body: {
        title: values.title,
        body: values.body,
        segment: {
          ...(languages.length ? { languages } : {}),
          ...(days ? { seenWithinDays: days } : {}),
          ...(attributesOf(values.attributes) ? { attributes: attributesOf(values.attributes) } : {}),
        },
        sendEmail: values.sendEmail,
      },
    });
    if (!data) return fail(400, { error: apiErrorMessage(error, response.status), values });
    return { ok: `“${data.title}” is live: contacts in the segment see it on their next visit.` };
  },
  active: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { data, error, response } = await apiClient(event).POST('/announcements/{id}/active', {
      params: { path: { id } },
      body: { active: form.get('active') === 'true' },
    });
    if (!data) return fail(400, { error: apiErrorMessage(error, response.status) });
    return { ok: data.active ? 'Shown again.' : 'Stopped.' };
  },
};
