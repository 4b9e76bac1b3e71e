import type { components } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import { contactName } from '$lib/contact-name';
import type { QueueRow } from '$lib/types';
import { apiClient } from './client';

/** Contact names for a page of conversations (one lookup per distinct contact, in parallel). */
export async function withContacts<C extends components['schemas']['Conversation']>(
  event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform'>,
  list: C[],
): Promise<(C & QueueRow)[]> {
  const client = apiClient(event);
  const ids = [...new Set(list.map((c) => c.contactId))];
  const found = await Promise.all(ids.map((id) => client.GET('/contacts/{id}', { params: { path: { id } } })));
  const names = new Map(found.flatMap((r) => (r.data ? [[r.data.id, contactName(r.data)] as const] : [])));
  return list.map((c) => ({ ...c, contactName: names.get(c.contactId) ?? null }));
}
