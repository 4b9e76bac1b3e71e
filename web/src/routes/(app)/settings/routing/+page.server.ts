import type { components } from '@autocrm/shared/api-types';
import { fail } from '@sveltejs/kit';
import { fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';
import { WEEKDAYS } from './model';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const [teams, skills, agents, rules, sla, settings, users, inboxes] = await Promise.all([
    client.GET('/teams'),
    client.GET('/skills'),
    client.GET('/routing/agents'),
    client.GET('/routing/rules'),
    client.GET('/sla-policies'),
    client.GET('/routing/settings'),
    client.GET('/users'),
    client.GET('/inboxes'),
  ]);
  return {
    teams: teams.data?.data ?? [],
    skills: skills.data?.data ?? [],
    agents: agents.data?.data ?? [],
    rules: rules.data?.data ?? [],
    slaPolicies: sla.data?.data ?? [],
    settings: settings.data ?? null,
    users: (users.data?.data ?? []).filter((u) => u.active),
    inboxes: inboxes.data?.data ?? [],
    canWrite: event.locals.user?.role === 'admin',
  };
};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
const num = (f: FormData, k: string) => (str(f, k) === '' ? null : Number(str(f, k)));
const TIME_RANGE = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/;
const pad = (t: string) => (t.length === 4 ? `0${t}` : t);

/** "09:00-12:00, 13:00-17:00" per weekday; all empty means always open. */
function businessHours(f: FormData, errors: Record<string, string>) {
  const out: Record<string, { start: string; end: string }[]> = {};
  for (const day of WEEKDAYS) {
    const raw = str(f, `hours_${day}`);
    if (!raw) continue;
    out[day] = raw.split(',').flatMap((part) => {
      const m = TIME_RANGE.exec(part.trim());
      if (!m) {
        errors[`businessHours.${day}`] = 'times as HH:MM-HH:MM, separated by commas';
        return [];
      }
      return [{ start: pad(m[1]!), end: pad(m[2]!) }];
    });
  }
  return out;
}

/** One line per shift: "mon 09:00-17:00" (optionally followed by a time zone). */
function shifts(text: string, errors: Record<string, string>) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .flatMap((line, i) => {
      const m = /^(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})(?:\s+(\S+))?$/i.exec(line);
      if (!m) {
        errors[`shifts.${i}`] = `line ${i + 1}: write "mon 09:00-17:00" (optionally a time zone after it)`;
        return [];
      }
      return [{ weekday: m[1]!.toLowerCase(), start: pad(m[2]!), end: pad(m[3]!), ...(m[4] ? { timeZone: m[4] } : {}) }];
    });
}

function json(text: string, key: string, errors: Record<string, string>): unknown[] {
  try {
    const v = JSON.parse(text || '[]');
    if (!Array.isArray(v)) throw new Error('not a list');
    return v;
  } catch (e) {
    errors[key] = `not a JSON list: ${e instanceof Error ? e.message : String(e)}`;
    return [];
  }
}

type Schemas = components['schemas'];

/** Awaits a typed API call and turns a refusal into a form failure tagged with the section (and item) it belongs to. */
async function send(section: string, call: Promise<{ error?: unknown; response: Response }>) {
  const { error, response } = await call;
  if (!response.ok) return fail(response.status === 403 ? 403 : 400, { section, errors: fieldErrors(error) });
  return { section, done: true };
}

function teamBody(f: FormData, errors: Record<string, string>) {
  const memberIds = f.getAll('member').map(String);
  const lead = new Set(f.getAll('lead').map(String));
  const after = num(f, 'overflowAfter');
  return {
    name: str(f, 'name'),
    timeZone: str(f, 'timeZone') || 'UTC',
    businessHours: businessHours(f, errors),
    overflow: {
      afterMinutes: after,
      teamId: str(f, 'overflowTeam') || null,
      relaxSkills: f.get('relaxSkills') === 'on',
    },
    members: memberIds.map((userId) => ({ userId, isLead: lead.has(userId) })),
  };
}

function slaBody(f: FormData) {
  return {
    name: str(f, 'name'),
    priority: str(f, 'priority') as Schemas['Priority'],
    inboxId: str(f, 'inboxId') || null,
    tag: str(f, 'tag') || null,
    firstResponseMinutes: num(f, 'firstResponseMinutes'),
    nextResponseMinutes: num(f, 'nextResponseMinutes'),
    resolutionMinutes: num(f, 'resolutionMinutes'),
    businessHours: f.get('businessHours') === 'on',
    warningMinutes: num(f, 'warningMinutes') ?? 0,
    breachRaisePriority: f.get('breachRaisePriority') === 'on',
    breachReassign: f.get('breachReassign') === 'on',
  };
}

export const actions: Actions = {
  createTeam: async (event) => {
    const f = await event.request.formData();
    const errors: Record<string, string> = {};
    const body = teamBody(f, errors);
    if (Object.keys(errors).length) return fail(400, { section: 'team:new', errors });
    return send('team:new', apiClient(event).POST('/teams', { body }));
  },
  updateTeam: async (event) => {
    const f = await event.request.formData();
    const id = str(f, 'id');
    const errors: Record<string, string> = {};
    const body = teamBody(f, errors);
    if (Object.keys(errors).length) return fail(400, { section: `team:${id}`, errors });
    return send(`team:${id}`, apiClient(event).PATCH('/teams/{id}', { params: { path: { id } }, body }));
  },
  deleteTeam: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(`team:${id}`, apiClient(event).DELETE('/teams/{id}', { params: { path: { id } } }));
  },
  createSkill: async (event) => {
    const f = await event.request.formData();
    const body = {
      name: str(f, 'name'),
      // The server checks the kind; the form's select offers only the API's values.
      kind: (str(f, 'kind') || 'other') as Schemas['SkillCreate']['kind'],
      ...(str(f, 'code') ? { code: str(f, 'code') } : {}),
    };
    return send('skill:new', apiClient(event).POST('/skills', { body }));
  },
  deleteSkill: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(`skill:${id}`, apiClient(event).DELETE('/skills/{id}', { params: { path: { id } } }));
  },
  updateAgent: async (event) => {
    const f = await event.request.formData();
    const id = str(f, 'id');
    const errors: Record<string, string> = {};
    const skills = f
      .getAll('skill')
      .map(String)
      .map((skillId) => ({ skillId, level: Number(str(f, `level_${skillId}`) || '0') }))
      .filter((s) => s.level > 0);
    const body = {
      skills,
      // The line pattern admits only the seven weekdays; the server checks the rest.
      shifts: shifts(str(f, 'shifts'), errors) as Schemas['AgentRoutingUpdate']['shifts'],
      capacity: { max: num(f, 'capacity') ?? 0 },
    };
    if (Object.keys(errors).length) return fail(400, { section: `agent:${id}`, errors });
    return send(`agent:${id}`, apiClient(event).PATCH('/routing/agents/{id}', { params: { path: { id } }, body }));
  },
  saveRule: async (event) => {
    const f = await event.request.formData();
    const id = str(f, 'id');
    const section = `rule:${id || 'new'}`;
    const errors: Record<string, string> = {};
    const body = {
      name: str(f, 'name'),
      ...(str(f, 'position') ? { position: Number(str(f, 'position')) } : {}),
      enabled: f.get('enabled') === 'on',
      match: (str(f, 'match') === 'any' ? 'any' : 'all') as 'any' | 'all',
      // Typed as JSON by the admin; the server checks each against the rule language and names what is wrong.
      conditions: json(str(f, 'conditions'), 'conditions', errors) as Schemas['RoutingRuleInput']['conditions'],
      actions: json(str(f, 'actions'), 'actions', errors) as Schemas['RoutingRuleInput']['actions'],
    };
    if (Object.keys(errors).length) return fail(400, { section, errors, values: Object.fromEntries(f) });
    const client = apiClient(event);
    const { error, response } = id
      ? await client.PUT('/routing/rules/{id}', { params: { path: { id } }, body })
      : await client.POST('/routing/rules', { body });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { section, errors: fieldErrors(error), values: Object.fromEntries(f) });
    return { section, done: true };
  },
  deleteRule: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(`rule:${id}`, apiClient(event).DELETE('/routing/rules/{id}', { params: { path: { id } } }));
  },
  saveSla: async (event) => {
    const f = await event.request.formData();
    const id = str(f, 'id');
    const client = apiClient(event);
    const body = slaBody(f);
    return send(
      `sla:${id || 'new'}`,
      id ? client.PUT('/sla-policies/{id}', { params: { path: { id } }, body }) : client.POST('/sla-policies', { body }),
    );
  },
  deleteSla: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(`sla:${id}`, apiClient(event).DELETE('/sla-policies/{id}', { params: { path: { id } } }));
  },
  saveSettings: async (event) => {
    const f = await event.request.formData();
    const body = {
      rerouteOfflineAfterMinutes: num(f, 'rerouteOfflineAfterMinutes'),
      defaultCapacity: num(f, 'defaultCapacity'),
      defaultHandleMinutes: num(f, 'defaultHandleMinutes'),
    } as Schemas['RoutingSettings'];
    return send('settings', apiClient(event).PUT('/routing/settings', { body }));
  },
};
