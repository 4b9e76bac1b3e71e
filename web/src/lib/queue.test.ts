import { describe, expect, it } from 'vitest';
import { apiQuery, filtersFrom } from './queue';

const filters = (query: string) => filtersFrom(new URLSearchParams(query));

describe('apiQuery: the typed GET /conversations query of a queue view', () => {
  it('asks the default view (todo, open, by activity) for mine and unassigned ones, snoozed left out', () => {
    expect(apiQuery(filters(''))).toEqual({
      assignee: 'me_or_unassigned',
      snoozed: 'false',
      statusCategory: 'open',
      sort: 'last_activity_at',
      limit: 50,
    });
  });

  it('maps each view to its assignee, team, snoozed and archived parameters', () => {
    expect(apiQuery(filters('view=mine')).assignee).toBe('me');
    expect(apiQuery(filters('view=unassigned')).assignee).toBe('none');
    const team = '0b8e6a52-7d1f-4f7e-9e55-2c8f0d6c1a11';
    expect(apiQuery(filters(`view=team:${team}`))).toMatchObject({ team, snoozed: 'false' });
    expect(apiQuery(filters('view=snoozed'))).toMatchObject({ snoozed: 'true' });
    expect(apiQuery(filters('view=archived&state=any'))).toEqual({
      snoozed: 'false',
      archived: 'true',
      sort: 'last_activity_at',
      limit: 50,
    });
  });

  it('carries the quick filters, the sort and the page size', () => {
    const inbox = '1c8e6a52-7d1f-4f7e-9e55-2c8f0d6c1a11';
    expect(apiQuery(filters(`view=all&state=pending&priority=urgent&q=refund&tag=VIP&inbox=${inbox}&sort=waiting`), 100)).toEqual(
      {
        snoozed: 'false',
        statusCategory: 'pending',
        priority: 'urgent',
        q: 'refund',
        tag: 'vip',
        inbox,
        sort: 'waiting_since',
        order: 'asc',
        limit: 100,
      },
    );
    expect(apiQuery(filters('view=all&sort=priority')).sort).toBe('priority');
  });
});
