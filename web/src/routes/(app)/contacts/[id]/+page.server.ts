import { error, fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { addContactNoteAction, deleteContactNoteAction } from '$lib/server/contact-notes';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const id = event.params.id;
  const dup = event.url.searchParams.get('dup')?.trim() ?? '';
  const [contact, conversations, fields, found, contactFields, companies, identities, inboxes, notes] = await Promise.all([
    client.GET('/contacts/{id}', { params: { path: { id } } }),
    client.GET('/conversations', {
      params: { query: { contact: id, limit: 50, sort: 'last_activity_at', order: 'desc', archived: 'all' } },
    }),
    client.GET('/custom-fields'),
    dup ? client.GET('/contacts', { params: { query: { q: dup, limit: 10 } } }) : Promise.resolve(undefined),
    client.GET('/custom-fields', { params: { query: { entity: 'contact' } } }),
    client.GET('/companies', { params: { query: { limit: 100 } } }),
    client.GET('/contacts/{id}/identities', { params: { path: { id } } }),
    client.GET('/inboxes'),
    client.GET('/contacts/{id}/notes', { params: { path: { id } } }),
  ]);
  // Not visible to this agent and not there look the same (the API answers 404 for both).
  if (!contact.data) error(contact.response.status === 404 ? 404 : 502, apiErrorMessage(contact.error, contact.response.status));
  return {
    contact: contact.data,
    conversations: conversations.data?.data ?? [],
    moreConversations: Boolean(conversations.data?.nextCursor),
    fields: fields.data?.data ?? [],
    // "Merge a duplicate": the contacts matching `?dup=`, this one left out.
    dup,
    duplicates: (found?.data?.data ?? [])
      .filter((x) => x.id !== id)
      .map((x) => ({ id: x.id, name: x.name, email: x.email, phone: x.phone })),
    contactFields: contactFields.data?.data ?? [],
    companies: companies.data?.data ?? [],
    // "Identities": every address this customer is found by, with the inbox a page-scoped id belongs to.
    identities: identities.data?.data ?? [],
    // "Notes": what agents wrote about this customer, newest first.
    notes: notes.data?.data ?? [],
    inboxNames: Object.fromEntries((inboxes.data?.data ?? []).map((i) => [i.id, i.name])) as Record<string, string>,
  };
};

type FieldDef = { key: string; type: string };

/** A contact field's value from the form, typed by its definition (empty: cleared). */
function fieldValue(form: FormData, def: FieldDef): unknown {
  const name = `field.${def.key}`;
  if (def.type === 'multi_select') {
    const all = form.getAll(name).map(String);
    return all.length ? all : null;
  }
  const raw = String(form.get(name) ?? '').trim();
  if (raw === '') return null;
  if (def.type === 'number') return Number(raw);
  if (def.type === 'boolean') return raw === 'true';
  return raw;
}

/** A typed attribute value: numbers and true/false as such, the rest as text. */
const typed = (v: string): string | number | boolean =>
  v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) && v.length < 16 ? Number(v) : v;

export const actions: Actions = {
  contactNote: addContactNoteAction,
  contactNoteDelete: deleteContactNoteAction,
  /** Merges a duplicate into this contact: final, so the form must carry the ticked confirmation. */
  merge: async (event) => {
    const form = await event.request.formData();
    const duplicateId = text(form, 'duplicateId') ?? '';
    if (form.get('confirm') !== 'final')
      return fail(400, { merge: { error: 'Tick “I understand that merging is final” to merge.' } });
    const { data, error, response } = await apiClient(event).POST('/contacts/{id}/merge', {
      params: { path: { id: event.params.id } },
      body: { duplicateId },
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { merge: { error: apiErrorMessage(error, response.status) } });
    redirect(303, `/contacts/${event.params.id}?merged=1`);
  },
  update: async (event) => {
    const form = await event.request.formData();
    const opt = (name: string) => text(form, name) ?? null;
    const body = { name: opt('name'), email: opt('email'), phone: opt('phone'), externalId: text(form, 'externalId') };
    const { data, error, response } = await apiClient(event).PATCH('/contacts/{id}', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(400, { update: { errors: fieldErrors(error, response.status) } });
    return { saved: true };
  },
  company: async (event) => {
    const form = await event.request.formData();
    const companyId = String(form.get('companyId') ?? '') || null;
    const { data, error, response } = await apiClient(event).PATCH('/contacts/{id}', {
      params: { path: { id: event.params.id } },
      body: { companyId },
    });
    if (!data) return fail(400, { company: { errors: fieldErrors(error, response.status) } });
    return { companySaved: true };
  },
  fields: async (event) => {
    const form = await event.request.formData();
    const client = apiClient(event);
    const defs = (await client.GET('/custom-fields', { params: { query: { entity: 'contact' } } })).data?.data ?? [];
    const current = (await client.GET('/contacts/{id}', { params: { path: { id: event.params.id } } })).data?.customFields ?? {};
    const customFields: Record<string, unknown> = {};
    for (const def of defs) {
      const value = fieldValue(form, def);
      // Only what changed is sent: clearing a value nobody set is no change (and a required one stays unset).
      if (value === null && current[def.key] === undefined) continue;
      customFields[def.key] = value;
    }
    const { data, error, response } = await client.PATCH('/contacts/{id}', {
      params: { path: { id: event.params.id } },
      body: { customFields },
    });
    if (!data) return fail(400, { fields: { errors: fieldErrors(error, response.status, true) } });
    return { fieldsSaved: true };
  },
  attribute: async (event) => {
    const form = await event.request.formData();
    const key = text(form, 'key') ?? '';
    const remove = form.get('remove') === 'true';
    const value = remove ? null : typed(String(form.get('value') ?? '').trim());
    const { data, error, response } = await apiClient(event).PATCH('/contacts/{id}', {
      params: { path: { id: event.params.id } },
      body: { attributes: { [key]: value } },
    });
    if (!data) return fail(400, { attribute: { errors: fieldErrors(error, response.status) } });
    return { attributeSaved: key };
  },
  /** Adds an address (kind + value) the customer is found and reached by; 409 when another contact holds it. */
  identityAdd: async (event) => {
    const form = await event.request.formData();
    const kind = String(form.get('kind') ?? '') as 'email' | 'phone' | 'whatsapp' | 'external';
    const value = String(form.get('value') ?? '').trim();
    const { data, error, response } = await apiClient(event).POST('/contacts/{id}/identities', {
      params: { path: { id: event.params.id } },
      body: { kind, value },
    });
    if (!data) {
      // A conflict says which way out there is (merge the two contacts); a bad address names the problem.
      const errs = fieldErrors(error, response.status);
      const message =
        response.status === 409
          ? apiErrorMessage(error, response.status)
          : errs.value
            ? `The address ${errs.value}.`
            : (errs.form ?? Object.values(errs)[0] ?? 'The address was not added.');
      return fail(response.status === 409 ? 409 : 400, { identity: { error: message, kind, value } });
    }
    return { identityAdded: data.id };
  },
  /** Removes one identity: messages from that address no longer find this contact. */
  identityRemove: async (event) => {
    const form = await event.request.formData();
    const identityId = String(form.get('identityId') ?? '');
    const { error, response } = await apiClient(event).DELETE('/contacts/{id}/identities/{identityId}', {
      params: { path: { id: event.params.id, identityId } },
    });
    if (!response.ok)
      return fail(response.status === 404 ? 404 : 400, { identity: { error: apiErrorMessage(error, response.status) } });
    return { identityRemoved: identityId };
  },
};
