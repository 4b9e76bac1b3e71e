import { fail } from '@sveltejs/kit';
import { parse } from 'csv-parse/sync';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { uncsvCell } from '$lib/server/csv';
import type { Actions } from './$types';

const MAX_BYTES = 2 * 1024 * 1024;
const MAX_ROWS = 5000; // what one API import takes
const SAMPLE = 8;
const TARGETS = ['name', 'email', 'phone', 'externalId', 'company', 'field', 'attribute', 'ignore'] as const;
type Target = (typeof TARGETS)[number];

/** A column's likely meaning from its header; anything else becomes a contact attribute. */
function guess(header: string): Target {
  const h = header.toLowerCase().replace(/[^a-z]/g, '');
  if (['name', 'fullname', 'contactname', 'contact'].includes(h)) return 'name';
  if (['email', 'emailaddress', 'mail'].includes(h)) return 'email';
  if (['phone', 'phonenumber', 'mobile', 'tel', 'telephone'].includes(h)) return 'phone';
  if (['externalid', 'userid', 'customerid'].includes(h)) return 'externalId';
  if (['company', 'companyname', 'organisation', 'organization'].includes(h)) return 'company';
  if (/^field:/i.test(header.trim())) return 'field';
  if (['createdat', 'updatedat', 'id'].includes(h)) return 'ignore';
  return 'attribute';
}

/** Attribute keys from headers: short and plain, so they read well in the contact page and the API. */
const attributeKey = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64) || 'column';

function parseCsv(csv: string): { rows: string[][] } | { error: string } {
  try {
    const rows = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
    if (rows.length < 2) return { error: 'The file needs a header line and at least one contact.' };
    if (rows.length - 1 > MAX_ROWS) return { error: `At most ${MAX_ROWS} contacts per file; split it and import the parts.` };
    return { rows };
  } catch (err) {
    return { error: `This is not a readable CSV file: ${(err as Error).message}` };
  }
}

function preview(csv: string, rows: string[][], mapping?: Target[]) {
  const headers = rows[0]!;
  return { csv, headers, mapping: mapping ?? headers.map(guess), sample: rows.slice(1, 1 + SAMPLE), total: rows.length - 1 };
}

export const actions: Actions = {
  preview: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { uploadError: 'Choose a CSV file.' });
    if (file.size > MAX_BYTES) return fail(400, { uploadError: 'The file is larger than 2 MB; split it and import the parts.' });
    const csv = await file.text();
    const parsed = parseCsv(csv);
    if ('error' in parsed) return fail(400, { uploadError: parsed.error });
    return { preview: preview(csv, parsed.rows) };
  },
  import: async (event) => {
    const form = await event.request.formData();
    const csv = String(form.get('csv') ?? '');
    const parsed = parseCsv(csv);
    if ('error' in parsed) return fail(400, { uploadError: parsed.error });
    const headers = parsed.rows[0]!;
    const mapping = headers.map((_, i) => {
      const m = String(form.get(`map-${i}`));
      return ((TARGETS as readonly string[]).includes(m) ? m : 'ignore') as Target;
    });
    const back = preview(csv, parsed.rows, mapping);
    if (!mapping.some((m) => m === 'email' || m === 'name' || m === 'phone' || m === 'externalId'))
      return fail(400, { preview: back, importError: 'Map at least one column to name, email, phone or external id.' });

    // Contact custom fields (`field:<key>` columns) are typed by their definitions.
    const defs = new Map(
      ((await apiClient(event).GET('/custom-fields', { params: { query: { entity: 'contact' } } })).data?.data ?? []).map((d) => [
        d.key,
        d.type,
      ]),
    );
    const fieldValue = (type: string | undefined, v: string): unknown =>
      type === 'number'
        ? Number(v)
        : type === 'boolean'
          ? ['true', 'yes', '1'].includes(v.toLowerCase())
          : type === 'multi_select'
            ? v
                .split(';')
                .map((x) => x.trim())
                .filter(Boolean)
            : v;
    // Line numbers as a spreadsheet shows them (the header is line 1), kept next to each row sent.
    const lines: number[] = [];
    const rows = [];
    for (const [n, cells] of parsed.rows.slice(1).entries()) {
      const row: {
        name?: string;
        email?: string;
        phone?: string;
        externalId?: string;
        companyName?: string;
        attributes?: Record<string, string>;
        customFields?: Record<string, unknown>;
      } = {};
      mapping.forEach((target, i) => {
        const value = uncsvCell(cells[i] ?? '');
        if (value === '' || target === 'ignore') return;
        if (target === 'attribute') row.attributes = { ...row.attributes, [attributeKey(headers[i]!)]: value };
        else if (target === 'field') {
          const key = headers[i]!.trim().replace(/^field:/i, '');
          row.customFields = { ...row.customFields, [key]: fieldValue(defs.get(key), value) };
        } else if (target === 'company') row.companyName = value;
        else row[target] = value;
      });
      if (Object.keys(row).length === 0) continue; // nothing to import on this line (an anonymous visitor, say)
      rows.push(row);
      lines.push(n + 2);
    }
    if (rows.length === 0)
      return fail(400, { preview: back, importError: 'No line has anything to import in the mapped columns.' });
    const { data, error, response } = await apiClient(event).POST('/contacts/import', { body: { rows } });
    if (!data) {
      const issues = (error as { error?: { issues?: { path: string; message: string }[] } })?.error?.issues ?? [];
      const rowErrors = issues
        .map((i) => {
          const m = /^rows\.(\d+)\.?(.*)$/.exec(String(i.path));
          return m ? { line: lines[Number(m[1])] ?? 0, field: m[2] || '', message: i.message } : null;
        })
        .filter((x) => x !== null);
      const bad = new Set(rowErrors.map((r) => r.line)).size;
      return fail(400, {
        preview: back,
        importError: bad
          ? `Nothing was imported: ${bad === 1 ? 'one row has' : `${bad} rows have`} a problem. Fix the file and upload it again.`
          : apiErrorMessage(error, response.status),
        rowErrors,
      });
    }
    return { imported: { created: data.created, updated: data.updated, skipped: parsed.rows.length - 1 - rows.length } };
  },
};
