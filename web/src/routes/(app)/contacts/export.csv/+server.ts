import { error } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import { csvCell } from '$lib/server/csv';
import type { RequestHandler } from './$types';

// Enough for a review or a move; a bigger export is a job for the API with a key.
const MAX_ROWS = 50_000;
const FIXED = ['name', 'email', 'phone', 'external_id', 'created_at'] as const;

/**
 * The contacts this user can see (with the page's search) as CSV: the fixed columns and the company's
 * name, then one column per attribute found and one per contact custom field (`field:<key>`). The same columns import back (`/contacts/import` maps them by name).
 */
export const GET: RequestHandler = async (event) => {
  if (!event.locals.user) error(401, 'Sign in first.');
  const q = event.url.searchParams.get('q')?.trim() || undefined;
  const client = apiClient(event);
  const rows: {
    name: string | null;
    email: string | null;
    phone: string | null;
    externalId: string | null;
    createdAt: string;
    attributes: Record<string, unknown>;
    companyName?: string | null;
    customFields?: Record<string, unknown>;
  }[] = [];
  let cursor: string | undefined;
  while (rows.length < MAX_ROWS) {
    const { data } = await client.GET('/contacts', {
      params: { query: { limit: 100, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
    });
    if (!data) error(502, 'The contacts could not be read.');
    rows.push(...data.data);
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  const attributeKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attributes)))].sort();
  // Contact custom fields as `field:<key>` (a multi-select's values joined by `;`), after the attributes.
  const fieldKeys = [...new Set(rows.flatMap((r) => Object.keys(r.customFields ?? {})))].sort();
  const fieldCell = (v: unknown) => (Array.isArray(v) ? v.join(';') : v);
  const lines = [[...FIXED, 'company', ...attributeKeys, ...fieldKeys.map((k) => `field:${k}`)].map(csvCell).join(',')];
  for (const r of rows)
    lines.push(
      [
        r.name,
        r.email,
        r.phone,
        r.externalId,
        r.createdAt,
        r.companyName ?? null,
        ...attributeKeys.map((k) => r.attributes[k]),
        ...fieldKeys.map((k) => fieldCell(r.customFields?.[k])),
      ]
        .map(csvCell)
        .join(','),
    );
  return new Response(`${lines.join('\r\n')}\r\n`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
};
