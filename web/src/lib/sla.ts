import type { components } from '@autocrm/shared/api-types';
import type { ApiClient } from './api-client';

/** SLA state of one conversation as GET /routing/sla returns it. */
export type SlaState = components['schemas']['ConversationSla'];

/** The earliest due time still ahead of (or, when breached, past for) a conversation. */
export function nextDue(s: SlaState): string | null {
  const due = [s.firstResponseDueAt, s.nextResponseDueAt, s.resolutionDueAt].filter((d): d is string => !!d).sort();
  return due[0] ?? null;
}

/** Loads SLA state for many conversations (100 per request), keyed by conversation id. */
export async function fetchSla(api: ApiClient, ids: string[]): Promise<Record<string, SlaState>> {
  const out: Record<string, SlaState> = {};
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { data } = await api.GET('/routing/sla', { params: { query: { ids: chunk.join(',') } } });
    for (const s of data?.data ?? []) out[s.conversationId] = s;
  }
  return out;
}
