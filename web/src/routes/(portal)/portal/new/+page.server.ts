import { randomUUID } from 'node:crypto';
import type { components } from '@autocrm/shared/api-types';
import { fail, redirect } from '@sveltejs/kit';
import { portalApi, requireCustomer, uploadFiles } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

type Schemas = components['schemas'];

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const { data } = await portalApi(event).GET('/portal/ticket-fields');
  return { fields: data?.data ?? [], clientId: randomUUID() };
};

/** A form value as its field's type wants it; empty means "not given". */
function fieldValue(def: Schemas['PortalField'], form: FormData): Schemas['CustomFieldValues'][string] | undefined {
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
    const api = portalApi(event);
    const fields = await api.GET('/portal/ticket-fields');
    const customFields: Schemas['CustomFieldValues'] = {};
    for (const def of fields.data?.data ?? []) {
      const v = fieldValue(def, form);
      if (v !== undefined) customFields[def.key] = v;
    }
    const values = { subject, description, locale, customFields };
    const uploaded = await uploadFiles(event, form.getAll('files'));
    if ('error' in uploaded) return fail(400, { values, error: uploaded.error });
    const { data, error } = await api.POST('/portal/tickets', {
      body: {
        subject,
        description,
        ...(locale ? { locale } : {}),
        ...(Object.keys(customFields).length ? { customFields } : {}),
        ...(uploaded.attachments.length ? { attachments: uploaded.attachments } : {}),
        clientId: String(form.get('clientId') ?? '') || randomUUID(),
      },
    });
    if (!data) {
      const issues: Record<string, string> = {};
      for (const i of error?.error?.issues ?? []) issues[String(i.path)] ??= i.message;
      return fail(400, { values, issues, error: error?.error?.message ?? 'The ticket could not be sent.' });
    }
    redirect(303, `/portal/tickets/${data.id}`);
  },
};
