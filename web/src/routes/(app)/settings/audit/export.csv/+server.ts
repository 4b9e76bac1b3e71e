import { error } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import type { RequestHandler } from './$types';

// Enough for any review; a bigger export is a job for the API with a key.
const MAX_ROWS = 20_000;

// A cell that starts with = + - @ would be run as a formula by a spreadsheet: prefixed with ' (OWASP).
const cell = (v: unknown) => {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

/** The audit log as CSV, with the page's filters, newest first. */
export const GET: RequestHandler = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins read the audit log.');
  const q = event.url.searchParams;
  const filters = { entityType: q.get('entityType')?.trim() || undefined, entityId: q.get('entityId')?.trim() || undefined };
  const client = apiClient(event);
  const lines = [['at', 'actor', 'action', 'entity_type', 'entity_id', 'before', 'after'].join(',')];
  let cursor: string | undefined;
  while (lines.length <= MAX_ROWS) {
    const { data } = await client.GET('/audit-log', {
      params: { query: { ...filters, limit: 100, ...(cursor ? { cursor } : {}) } },
    });
    if (!data) error(502, 'The audit log could not be read.');
    for (const e of data.data)
      lines.push([e.at, e.actor, e.action, e.entityType, e.entityId, e.before, e.after].map(cell).join(','));
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return new Response(`${lines.join('\r\n')}\r\n`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
};
