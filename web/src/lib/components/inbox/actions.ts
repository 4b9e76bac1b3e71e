import type { components } from '@autocrm/shared/api-types';
import { browserApi } from '$lib/api-client';

/** Resolves a conversation: its status becomes the first status of the `resolved` category. */
export async function resolveConversation(
  csrfToken: string,
  conversationId: string,
  statuses: Pick<components['schemas']['Status'], 'id' | 'category'>[],
): Promise<boolean> {
  const resolved = statuses.find((s) => s.category === 'resolved');
  if (!resolved) return false;
  const { response } = await browserApi(csrfToken).PATCH('/conversations/{id}', {
    params: { path: { id: conversationId } },
    body: { statusId: resolved.id },
  });
  return response.status === 200;
}

/** Assigns a conversation to the signed-in agent. */
export async function assignToMe(csrfToken: string, conversationId: string, me: string): Promise<boolean> {
  const { response } = await browserApi(csrfToken).PATCH('/conversations/{id}', {
    params: { path: { id: conversationId } },
    body: { assigneeId: me },
  });
  return response.status === 200;
}

/** Snoozes a conversation for some hours (back earlier if the customer replies). */
export async function snoozeFor(csrfToken: string, conversationId: string, hours: number): Promise<boolean> {
  const until = new Date(Date.now() + hours * 3600_000).toISOString();
  const { response } = await browserApi(csrfToken).POST('/conversations/{id}/snooze', {
    params: { path: { id: conversationId } },
    body: { until, untilReply: true },
  });
  return response.status === 200;
}
