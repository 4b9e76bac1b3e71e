import { fail } from '@sveltejs/kit';
import { api, fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
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

/** Calls the API and turns a refusal into a form failure tagged with the section (and item) it belongs to. */
async function send(event: RequestEvent, section: string, method: string, path: string, body?: unknown, ok = [200, 201, 204]) {
  const res = await api(event, method, path, body);
  if (!ok.includes(res.status)) {
    return fail(res.status === 403 ? 403 : 400, { section, errors: fieldErrors(res.body) });
  }
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
    priority: str(f, 'priority'),
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
    return send(event, 'team:new', 'POST', '/teams', body);
  },
  updateTeam: async (event) => {
    const f = await event.request.formData();
    const id = str(f, 'id');
    const errors: Record<string, string> = {};
    const body = teamBody(f, errors);
    if (Object.keys(errors).length) return fail(400, { section: `team:${id}`, errors });
    return send(event, `team:${id}`, 'PATCH', `/teams/${id}`, body);
  },
  deleteTeam: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(event, `team:${id}`, 'DELETE', `/teams/${id}`);
  },
  createSkill: async (event) => {
    const f = await event.request.formData();
    return send(event, 'skill:new', 'POST', '/skills', {
      name: str(f, 'name'),
      kind: str(f, 'kind') || 'other',
      ...(str(f, 'code') ? { code: str(f, 'code') } : {}),
    });
  },
  deleteSkill: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(event, `skill:${id}`, 'DELETE', `/skills/${id}`);
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
      shifts: shifts(str(f, 'shifts'), errors),
      capacity: { max: num(f, 'capacity') ?? 0 },
    };
    if (Object.keys(errors).length) return fail(400, { section: `agent:${id}`, errors });
    return send(event, `agent:${id}`, 'PATCH', `/routing/agents/${id}`, body);
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
      match: str(f, 'match') === 'any' ? 'any' : 'all',
      conditions: json(str(f, 'conditions'), 'conditions', errors),
      actions: json(str(f, 'actions'), 'actions', errors),
    };
    if (Object.keys(errors).length) return fail(400, { section, errors, values: Object.fromEntries(f) });
    const res = await api(event, id ? 'PUT' : 'POST', id ? `/routing/rules/${id}` : '/routing/rules', body);
    if (res.status !== 200 && res.status !== 201)
      return fail(res.status === 403 ? 403 : 400, { section, errors: fieldErrors(res.body), values: Object.fromEntries(f) });
    return { section, done: true };
  },
  deleteRule: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(event, `rule:${id}`, 'DELETE', `/routing/rules/${id}`);
  },
  saveSla: async (event) => {
    const f = await event.request.formData();
    const id = str(f, 'id');
    return send(event, `sla:${id || 'new'}`, id ? 'PUT' : 'POST', id ? `/sla-policies/${id}` : '/sla-policies', slaBody(f));
  },
  deleteSla: async (event) => {
    const id = str(await event.request.formData(), 'id');
    return send(event, `sla:${id}`, 'DELETE', `/sla-policies/${id}`);
  },
  saveSettings: async (event) => {
    const f = await event.request.formData();
    return send(event, 'settings', 'PUT', '/routing/settings', {
      rerouteOfflineAfterMinutes: num(f, 'rerouteOfflineAfterMinutes'),
      defaultCapacity: num(f, 'defaultCapacity'),
      defaultHandleMinutes: num(f, 'defaultHandleMinutes'),
    });
  },
};
