import type { components, paths } from '@autocrm/shared/api-types';
import { PRIORITY_RANK, QUEUE_PRIORITIES, QUEUE_SORTS, QUEUE_STATES } from '@autocrm/shared/enum-values';

type Conversation = components['schemas']['Conversation'];
/** What GET /conversations takes. */
export type ConversationQuery = NonNullable<paths['/conversations']['get']['parameters']['query']>;

export type Sort = (typeof QUEUE_SORTS)[number];

/**
 * The queue's filters: a saved view's filters (the API's `SavedViewFilters`), except that the queue also
 * has the views todo (mine plus unassigned ones a person answers) and snoozed, which are not saved.
 */
export type QueueFilters = Omit<components['schemas']['SavedViewFilters'], 'view'> & {
  /** todo | mine | unassigned | snoozed | all | archived | team:<id> */
  view: string;
};

const pick = <T extends string>(allowed: readonly T[], v: string | null, fallback: T): T =>
  allowed.includes(v as T) ? (v as T) : fallback;

export function filtersFrom(params: URLSearchParams): QueueFilters {
  const view = params.get('view') ?? 'todo';
  return {
    view: /^(todo|mine|unassigned|snoozed|all|archived|team:[0-9a-f-]{36})$/.test(view) ? view : 'todo',
    state: pick(QUEUE_STATES, params.get('state'), 'open'),
    priority: pick(QUEUE_PRIORITIES, params.get('priority'), 'any'),
    sort: pick(QUEUE_SORTS, params.get('sort'), 'activity'),
    q: (params.get('q') ?? '').trim().slice(0, 200),
    ...(params.get('tag') ? { tag: params.get('tag')!.trim().toLowerCase().slice(0, 60) } : {}),
    ...(/^[0-9a-f-]{36}$/.test(params.get('inbox') ?? '') ? { inbox: params.get('inbox')! } : {}),
  };
}

/** The API query of a view with the quick filters. */
export function apiQuery(f: QueueFilters, limit = 50): ConversationQuery {
  const q: ConversationQuery = {};
  if (f.view === 'todo') q.assignee = 'me_or_unassigned';
  else if (f.view === 'mine') q.assignee = 'me';
  else if (f.view === 'unassigned') q.assignee = 'none';
  else if (f.view.startsWith('team:')) q.team = f.view.slice(5);
  // Snoozed conversations leave every queue until they wake; they have a view of their own.
  q.snoozed = f.view === 'snoozed' ? 'true' : 'false';
  // Archived conversations (done long ago, moved out by retention) are in no list but their own view,
  // where the search finds them too.
  if (f.view === 'archived') q.archived = 'true';
  if (f.state !== 'any') q.statusCategory = f.state;
  if (f.priority !== 'any') q.priority = f.priority;
  if (f.q) q.q = f.q;
  if (f.tag) q.tag = f.tag;
  if (f.inbox) q.inbox = f.inbox;
  if (f.sort === 'waiting') {
    q.sort = 'waiting_since';
    q.order = 'asc';
  } else if (f.sort === 'priority') q.sort = 'priority';
  else q.sort = 'last_activity_at';
  q.limit = limit;
  return q;
}

/** Whether a (live-updated) conversation belongs in the view, judged on the client. */
export function matches(c: Conversation, f: QueueFilters, meId: string): boolean {
  if (f.view === 'todo' && c.assigneeId !== meId && !(c.assigneeId === null && c.owner === 'human')) return false;
  if (f.view === 'mine' && c.assigneeId !== meId) return false;
  if (f.view === 'unassigned' && c.assigneeId !== null) return false;
  if ((f.view === 'snoozed') !== (c.snooze !== null && c.snooze !== undefined)) return false;
  if ((f.view === 'archived') !== !!c.archivedAt) return false;
  if (f.view.startsWith('team:') && c.teamId !== f.view.slice(5)) return false;
  if (f.state !== 'any' && c.status.category !== f.state) return false;
  if (f.priority !== 'any' && c.priority !== f.priority) return false;
  if (f.tag && !c.tags.includes(f.tag)) return false;
  if (f.inbox && c.inboxId !== f.inbox) return false;
  return true;
}

const time = (s: string | null) => (s ? new Date(s).getTime() : Number.POSITIVE_INFINITY);

export function comparator(sort: Sort): (a: Conversation, b: Conversation) => number {
  if (sort === 'waiting') return (a, b) => time(a.waitingSince) - time(b.waitingSince) || a.number - b.number;
  if (sort === 'priority')
    return (a, b) =>
      PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] ||
      new Date(b.lastActivityAt).getTime() - new Date(a.lastActivityAt).getTime();
  return (a, b) => new Date(b.lastActivityAt).getTime() - new Date(a.lastActivityAt).getTime() || b.number - a.number;
}

export function viewHref(f: QueueFilters, change: Partial<QueueFilters>): string {
  // Archived conversations are all resolved or closed: their view opens on any state, and leaving it
  // goes back to open ones.
  const state = change.view === 'archived' ? 'any' : change.view && f.view === 'archived' ? 'open' : f.state;
  const n = { ...f, state, ...change };
  const p = new URLSearchParams({ view: n.view, state: n.state, priority: n.priority, sort: n.sort });
  if (n.q) p.set('q', n.q);
  if (n.tag) p.set('tag', n.tag);
  if (n.inbox) p.set('inbox', n.inbox);
  return `/inbox?${p}`;
}
