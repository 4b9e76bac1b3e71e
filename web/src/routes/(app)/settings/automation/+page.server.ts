import { AutomationRuleInput } from '@autocrm/shared';
import type { components } from '@autocrm/shared/api-types';
import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';
import type { Draft } from './builder';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const [rules, inboxes, users, teams, statuses, macros, fields, webhooks] = await Promise.all([
    client.GET('/automation/rules'),
    client.GET('/inboxes'),
    client.GET('/users'),
    client.GET('/teams'),
    client.GET('/statuses'),
    client.GET('/macros'),
    client.GET('/custom-fields'),
    client.GET('/webhooks'),
  ]);
  return {
    rules: rules.data?.data ?? [],
    listError: rules.error ? apiErrorMessage(rules.error, rules.response.status) : null,
    inboxes: (inboxes.data?.data ?? []).map((i) => ({ id: i.id, name: i.name })),
    users: (users.data?.data ?? []).filter((u) => u.active).map((u) => ({ id: u.id, name: u.name })),
    teams: (teams.data?.data ?? []).map((t) => ({ id: t.id, name: t.name })),
    statuses: (statuses.data?.data ?? []).map((s) => ({ id: s.id, name: s.name, category: s.category })),
    macros: (macros.data?.data ?? []).filter((m) => m.visibility === 'shared').map((m) => ({ id: m.id, name: m.name })),
    fieldTypes: Object.fromEntries((fields.data?.data ?? []).map((f) => [f.key, f.type])),
    fields: (fields.data?.data ?? []).map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options })),
    // Webhook endpoints (Settings → Webhooks) a rule may call; named by description, else by host.
    webhooks: (webhooks.data?.data ?? []).map((w) => ({ id: w.id, name: w.description || new URL(w.url).host })),
    canWrite: event.locals.user?.role === 'admin',
  };
};

type Rule = components['schemas']['AutomationRuleInput'];
type Issue = { path: string | (string | number)[]; message: string };
const pathOf = (p: Issue['path']) => (Array.isArray(p) ? p.join('.') : p) || 'form';

function errorsOf(issues: Issue[], fallback: string): Record<string, string> {
  const out: Record<string, string> = {};
  // An empty select reaches the schema as an empty id: say what to do rather than "Invalid UUID".
  for (const i of issues) out[pathOf(i.path)] ??= /uuid/i.test(i.message) ? 'choose one from the list' : i.message;
  if (!Object.keys(out).length) out.form = fallback;
  return out;
}

export const actions: Actions = {
  /** Saves the builder's rule: checked first with the API's own schema, then by the API (references). */
  save: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    let draft: Draft | null = null;
    let body: unknown;
    try {
      draft = JSON.parse(String(form.get('draft') ?? 'null'));
      body = JSON.parse(String(form.get('rule') ?? 'null'));
    } catch {
      return fail(400, { errors: { form: 'The rule could not be read; reload the page.' }, draft });
    }
    const parsed = AutomationRuleInput.safeParse(body);
    if (!parsed.success)
      return fail(400, {
        errors: errorsOf(
          parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
          'Check the rule.',
        ),
        draft,
      });
    // The schema checks the rule's shape; the API checks each condition and action against the rule
    // language (and its references) and names the one at fault, so they go as the builder wrote them.
    const rule = parsed.data as Rule;
    const client = apiClient(event);
    const res = id
      ? await client.PUT('/automation/rules/{id}', { params: { path: { id } }, body: rule })
      : await client.POST('/automation/rules', { body: rule });
    if (!res.data) {
      const issues = (res.error as { error?: { issues?: Issue[] } })?.error?.issues ?? [];
      return fail(res.response.status === 403 ? 403 : 400, {
        errors: errorsOf(issues, apiErrorMessage(res.error, res.response.status)),
        draft,
      });
    }
    return { saved: res.data.name };
  },
  toggle: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const client = apiClient(event);
    const current = (await client.GET('/automation/rules')).data?.data.find((r) => r.id === id);
    if (!current) return fail(404, { toggleError: 'That rule no longer exists.' });
    const { trigger, conditions, actions, name, match, inboxId, position } = current;
    const res = await client.PUT('/automation/rules/{id}', {
      params: { path: { id } },
      body: { name, match, inboxId, position, trigger, conditions, actions, enabled: !current.enabled },
    });
    if (!res.data) return fail(400, { toggleError: apiErrorMessage(res.error, res.response.status) });
    return { toggled: res.data.name };
  },
  delete: async (event) => {
    const form = await event.request.formData();
    const { error, response } = await apiClient(event).DELETE('/automation/rules/{id}', {
      params: { path: { id: String(form.get('id') ?? '') } },
    });
    if (error) return fail(400, { toggleError: apiErrorMessage(error, response.status) });
    return { removed: true };
  },
};
