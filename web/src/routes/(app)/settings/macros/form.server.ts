import type { components } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import { plainToHtml } from '$lib/macro-body';
import { apiUpload } from '$lib/server/api-upload';
import { apiClient } from '$lib/server/client';

/** One row of the actions editor as the form sends it: a type, a choice from the select, free text. */
export interface ActionRow {
  type: string;
  choice: string;
  text: string;
}

/** A file of the macro (the API's attachment). */
export type MacroFile = components['schemas']['Attachment'];

export interface MacroFormValues {
  /** The files kept (ticked) plus any uploaded with this form. */
  attachments: MacroFile[];
  name: string;
  shortcut: string;
  body: string;
  note: string;
  visibility: string;
  rows: ActionRow[];
}

/** Blank rows offered after the existing ones, so actions can be added without JavaScript. */
export const BLANK_ROWS = 3;

/** Choices the selects offer; loaded once per page. */
export async function macroOptions(event: RequestEvent) {
  const client = apiClient(event);
  const [statuses, teams, users] = await Promise.all([client.GET('/statuses'), client.GET('/teams'), client.GET('/users')]);
  return {
    statuses: statuses.data?.data ?? [],
    teams: teams.data?.data ?? [],
    users: (users.data?.data ?? []).filter((u) => u.active),
  };
}

/** Editor rows for a saved macro's actions. */
export function rowsOf(actions: components['schemas']['MacroAction'][]): ActionRow[] {
  return actions.map((a) => {
    switch (a.type) {
      case 'set_status':
        return { type: a.type, choice: `status:${a.statusId}`, text: '' };
      case 'set_priority':
        return { type: a.type, choice: `priority:${a.priority}`, text: '' };
      case 'add_tags':
      case 'remove_tags':
        return { type: a.type, choice: '', text: (a.tags as string[]).join(', ') };
      case 'assign':
        return { type: a.type, choice: a.assigneeId === null ? 'none' : `user:${a.assigneeId}`, text: '' };
      case 'set_team':
        return { type: a.type, choice: a.teamId === null ? 'none' : `team:${a.teamId}`, text: '' };
      case 'set_custom_field':
        return { type: a.type, choice: '', text: `${a.key}=${typeof a.value === 'string' ? a.value : JSON.stringify(a.value)}` };
      default:
        // An action this page does not know yet: shown by its type, with nothing to edit.
        return { type: (a as { type: string }).type, choice: '', text: '' };
    }
  });
}

export function formValues(form: FormData): MacroFormValues {
  const types = form.getAll('type').map(String);
  const choices = form.getAll('choice').map(String);
  const texts = form.getAll('text').map(String);
  const attachments = form.getAll('keepFile').flatMap((raw) => {
    try {
      const f = JSON.parse(String(raw)) as MacroFile;
      return typeof f?.url === 'string' && typeof f.name === 'string' ? [f] : [];
    } catch {
      return [];
    }
  });
  return {
    attachments,
    name: String(form.get('name') ?? ''),
    shortcut: String(form.get('shortcut') ?? ''),
    body: String(form.get('body') ?? ''),
    note: String(form.get('note') ?? ''),
    visibility: String(form.get('visibility') ?? 'personal'),
    rows: types.map((type, i) => ({ type, choice: choices[i] ?? '', text: texts[i] ?? '' })).filter((r) => r.type),
  };
}

/**
 * Uploads the files chosen in the form's file input (as the signed-in user, through the ordinary upload
 * store) and adds them to the values' attachments. Returns an error for the "files" field if one failed.
 */
export async function takeUploads(
  event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform' | 'url'>,
  form: FormData,
  values: MacroFormValues,
): Promise<string | null> {
  for (const f of form.getAll('files')) {
    if (!(f instanceof File) || f.size === 0) continue;
    const r = await apiUpload(event, f);
    if (!r.ok) return `${f.name}: ${r.message}`;
    values.attachments.push(r.file);
  }
  return null;
}

const after = (choice: string, prefix: string) => (choice.startsWith(`${prefix}:`) ? choice.slice(prefix.length + 1) : null);

/** The API body from the form; row problems the API cannot name (a missing choice) are reported here. */
export function macroBody(v: MacroFormValues): { body?: Record<string, unknown>; errors?: Record<string, string> } {
  const errors: Record<string, string> = {};
  const actions = v.rows.map((r, i) => {
    const need = (x: string | null, what: string) => {
      if (x === null || x === '') errors[`actions.${i}`] = `choose ${what}`;
      return x ?? '';
    };
    const tags = () => {
      const list = r.text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (!list.length) errors[`actions.${i}`] = 'type one or more tags, separated by commas';
      return list;
    };
    switch (r.type) {
      case 'set_status':
        return { type: r.type, statusId: need(after(r.choice, 'status'), 'a status') };
      case 'set_priority':
        return { type: r.type, priority: need(after(r.choice, 'priority'), 'a priority') };
      case 'add_tags':
      case 'remove_tags':
        return { type: r.type, tags: tags() };
      case 'assign':
        return { type: r.type, assigneeId: r.choice === 'none' ? null : need(after(r.choice, 'user'), 'an assignee') };
      case 'set_team':
        return { type: r.type, teamId: r.choice === 'none' ? null : need(after(r.choice, 'team'), 'a team') };
      case 'set_custom_field': {
        const eq = r.text.indexOf('=');
        if (eq < 1) errors[`actions.${i}`] = 'type key=value';
        const raw = r.text.slice(eq + 1).trim();
        let value: unknown = raw;
        if (raw === '') value = null;
        else if (/^(true|false|-?\d+(\.\d+)?|\[.*\])$/.test(raw)) {
          try {
            value = JSON.parse(raw);
          } catch {
            value = raw;
          }
        }
        return { type: r.type, key: r.text.slice(0, Math.max(eq, 0)).trim(), value };
      }
      default:
        errors[`actions.${i}`] = 'unknown action';
        return { type: r.type };
    }
  });
  if (Object.keys(errors).length) return { errors };
  return {
    body: {
      name: v.name.trim(),
      shortcut: v.shortcut.trim().replace(/^\//, '').toLowerCase() || null,
      body: plainToHtml(v.body),
      note: plainToHtml(v.note),
      actions,
      attachments: v.attachments,
      visibility: v.visibility === 'shared' ? 'shared' : 'personal',
    },
  };
}

/** Who may manage shared macros (the API checks the same; this only shapes the form). */
export const canShare = (event: Pick<RequestEvent, 'locals'>) => !!event.locals.user && event.locals.user.role !== 'agent';
