import type { components, paths } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';

export type ReportQuery = paths['/reports/overview']['get']['parameters']['query'];
type Channel = components['schemas']['Channel'];
type Priority = components['schemas']['Priority'];

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayOr = (v: string | null, fallback: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : fallback);

/**
 * The page's filters from its URL (a GET form, so every report view is a link someone can share):
 * the last 30 days by default. The API validates; a bad value comes back as the page's error.
 */
export function reportQueryOf(url: URL): ReportQuery {
  const q = url.searchParams;
  const to = dayOr(q.get('to'), iso(Date.now()));
  const from = dayOr(q.get('from'), iso(Date.parse(to) - 29 * DAY));
  const opt = (k: string) => q.get(k)?.trim() || undefined;
  return {
    from,
    to,
    timeZone: opt('timeZone'),
    inbox: opt('inbox'),
    channel: opt('channel') as Channel | undefined,
    team: opt('team'),
    agent: opt('agent'),
    tag: opt('tag'),
    priority: opt('priority') as Priority | undefined,
  };
}

/** The same filters as a query string, for CSV links and the sub-navigation. */
export function queryString(query: ReportQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, String(v));
  return p.toString();
}

/** What the filter form offers: inboxes, teams, people and tags by name. */
export async function filterChoices(event: RequestEvent) {
  const client = apiClient(event);
  const [inboxes, teams, users, tags] = await Promise.all([
    client.GET('/inboxes'),
    client.GET('/teams'),
    client.GET('/users'),
    client.GET('/tags'),
  ]);
  return {
    inboxes: (inboxes.data?.data ?? []).map((i) => ({ id: i.id, name: i.name })),
    teams: (teams.data?.data ?? []).map((t) => ({ id: t.id, name: t.name })),
    users: (users.data?.data ?? []).map((u) => ({ id: u.id, name: u.name })),
    tags: (tags.data?.data ?? []).map((t) => t.name),
  };
}
