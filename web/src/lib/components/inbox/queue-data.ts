import type { components } from '@autocrm/shared/api-types';
import type { QueueFilters } from '$lib/queue';
import type { SlaState } from '$lib/sla';
import type { QueueRow, Status, User } from '$lib/types';

/** What the queue pane shows: the inbox layout's load (routes/(app)/inbox/+layout.server.ts) and the signed-in user. */
export type QueuePaneData = {
  filters: QueueFilters;
  rows: QueueRow[];
  sla: Record<string, SlaState>;
  hasMore: boolean;
  users: User[];
  statuses: Status[];
  teams: components['schemas']['Team'][];
  tags: components['schemas']['Tag'][];
  counts: Record<string, string>;
  savedViews: components['schemas']['SavedView'][];
  user: User | null;
  csrfToken: string | null;
};
