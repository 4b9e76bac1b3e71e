import { apiWrite } from '$lib/realtime';

/** Resolves a conversation: its status becomes the first status of the `resolved` category. */
export async function resolveConversation(
  csrfToken: string,
  conversationId: string,
  statuses: { id: string; category: string }[],
): Promise<boolean> {
  const resolved = statuses.find((s) => s.category === 'resolved');
  if (!resolved) return false;
  const res = await apiWrite(csrfToken, 'PATCH', `/conversations/${conversationId}`, { statusId: resolved.id });
  return res.status === 200;
}

/** Assigns a conversation to the signed-in agent. */
export async function assignToMe(csrfToken: string, conversationId: string, me: string): Promise<boolean> {
  const res = await apiWrite(csrfToken, 'PATCH', `/conversations/${conversationId}`, { assigneeId: me });
  return res.status === 200;
}

/** Snoozes a conversation for some hours (back earlier if the customer replies). */
export async function snoozeFor(csrfToken: string, conversationId: string, hours: number): Promise<boolean> {
  const until = new Date(Date.now() + hours * 3600_000).toISOString();
  const res = await apiWrite(csrfToken, 'POST', `/conversations/${conversationId}/snooze`, { until, untilReply: true });
  return res.status === 200;
}
