import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { portalApi, requireCustomer, uploadFiles } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export interface PortalFieldDef {
  key: string;
  label: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'single_select' | 'multi_select';
  options: string[];
  required: boolean;
}

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const res = await portalApi(event, 'GET', '/ticket-fields');
  return { fields: (res.status === 200 ? res.body.data : []) as PortalFieldDef[], clientId: randomUUID() };
};

/** A form value as its field's type wants it; empty means "not given". */
function fieldValue(def: PortalFieldDef, form: FormData): unknown {
  if (def.type === 'multi_select') {
    const all = form.getAll(`cf_${def.key}`).map(String).filter(Boolean);
    return all.length ? all : undefined;
  }
  const raw = String(form.get(`cf_${def.key}`) ?? '').trim();
  if (def.type === 'boolean') return raw === 'on' ? true : undefined;
  if (!raw) return undefined;
  if (def.type === 'number') return Number(raw);
  return raw;
}

export const actions: Actions = {
  default: async (event) => {
    requireCustomer(event);
    const form = await event.request.formData();
    const subject = String(form.get('subject') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    const locale = String(form.get('locale') ?? '');
    const fields = await portalApi(event, 'GET', '/ticket-fields');
    const customFields: Record<string, unknown> = {};
    for (const def of (fields.body?.data ?? []) as PortalFieldDef[]) {
      const v = fieldValue(def, form);
      if (v !== undefined) customFields[def.key] = v;
    }
    const values = { subject, description, locale, customFields };
    const uploaded = await uploadFiles(event, form.getAll('files'));
    if ('error' in uploaded) return fail(400, { values, error: uploaded.error });
    const res = await portalApi(event, 'POST', '/tickets', {
      subject,
      description,
      ...(locale ? { locale } : {}),
      ...(Object.keys(customFields).length ? { customFields } : {}),
      ...(uploaded.attachments.length ? { attachments: uploaded.attachments } : {}),
      clientId: String(form.get('clientId') ?? '') || randomUUID(),
    });
    if (res.status !== 201) {
      const issues: Record<string, string> = {};
      for (const i of res.body?.error?.issues ?? []) issues[String(i.path)] ??= i.message;
      return fail(400, { values, issues, error: res.body?.error?.message ?? 'The ticket could not be sent.' });
    }
    redirect(303, `/portal/tickets/${res.body.id}`);
  },
};
