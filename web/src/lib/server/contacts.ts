import type { RequestEvent } from '@sveltejs/kit';
import { contactName } from '$lib/contact-name';
import type { Contact, Conversation, QueueRow } from '$lib/types';
import { api } from './api';

/** Contact names for a page of conversations (one lookup per distinct contact, in parallel). */
export async function withContacts(event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform'>, list: Conversation[]) {
  const ids = [...new Set(list.map((c) => c.contactId))];
  const found = await Promise.all(ids.map((id) => api<Contact>(event, 'GET', `/contacts/${id}`)));
  const names = new Map(found.filter((r) => r.status === 200).map((r) => [r.body.id, contactName(r.body)]));
  return list.map((c): QueueRow => ({ ...c, contactName: names.get(c.contactId) ?? null }));
}
