import {
  AgentRouting,
  AgentRoutingUpdate,
  ConversationRouting,
  ConversationRoutingUpdate,
  ConversationSla,
  Id,
  QueueEntry,
  RoutingRule,
  RoutingRuleInput,
  RoutingSettings,
  Skill,
  SkillCreate,
  SlaPolicy,
  SlaPolicyInput,
  Team,
  TeamCreate,
  TeamUpdate,
} from '@autocrm/shared';
import { z } from 'zod';
import { getAgentRouting, listAgentRouting, updateAgentRouting } from '../../domain/routing/agents';
import { getConversationRouting, updateConversationRouting } from '../../domain/routing/conversation-routing';
import { listQueue } from '../../domain/routing/queue';
import { getRoutingSettings, putRoutingSettings } from '../../domain/routing/routing-settings';
import { createRule, deleteRule, listRules, updateRule } from '../../domain/routing/rules';
import { createSkill, deleteSkill, listSkills } from '../../domain/routing/skills';
import { getSlaStates } from '../../domain/routing/sla-batch';
import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from '../../domain/routing/sla-policies';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from '../../domain/routing/teams';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
const deleted = { 204: { description: 'Deleted' } };

// Routing settings: reading them is part of working conversations; changing them is an admin's job.
export function routingRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  // A settings change may free a queued conversation (a new member, more capacity): the commands emit
  // `routing.settings_changed`, and listeners/route-queue-again.ts routes the queue again.

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/teams',
      tags: ['Routing'],
      summary: 'List teams with members, hours and overflow',
      responses: { 200: json(list(Team), 'Teams') },
    }),
    async (c) => c.json({ data: await listTeams(db) }, 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/teams/{id}',
      tags: ['Routing'],
      summary: 'Get a team',
      request: { params: IdParam },
      responses: { 200: json(Team, 'The team') },
    }),
    async (c) => c.json(await getTeam(db, c.req.valid('param').id), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/teams',
      tags: ['Routing'],
      summary: 'Create a team',
      request: { body: jsonBody(TeamCreate) },
      responses: { 201: json(Team, 'The new team') },
    }),
    async (c) => {
      const team = await createTeam(db, { actor: actorOf(c), input: c.req.valid('json') });
      return c.json(team, 201);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/teams/{id}',
      tags: ['Routing'],
      summary: 'Change a team: members and lead, time zone, business hours, holidays, overflow',
      request: { params: IdParam, body: jsonBody(TeamUpdate) },
      responses: { 200: json(Team, 'The team') },
    }),
    async (c) => {
      const team = await updateTeam(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') });
      return c.json(team, 200);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/teams/{id}',
      tags: ['Routing'],
      summary: 'Delete a team',
      request: { params: IdParam },
      responses: deleted,
    }),
    async (c) => {
      await deleteTeam(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/skills',
      tags: ['Routing'],
      summary: 'List skills',
      responses: { 200: json(list(Skill), 'Skills') },
    }),
    async (c) => c.json({ data: await listSkills(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/skills',
      tags: ['Routing'],
      summary: 'Create a skill (a language needs its code)',
      request: { body: jsonBody(SkillCreate) },
      responses: { 201: json(Skill, 'The new skill') },
    }),
    async (c) => c.json(await createSkill(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/skills/{id}',
      tags: ['Routing'],
      summary: 'Delete a skill',
      request: { params: IdParam },
      responses: deleted,
    }),
    async (c) => {
      await deleteSkill(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/routing/agents',
      tags: ['Routing'],
      summary: 'Agents as routing sees them: skills, shifts, capacity, presence, load',
      responses: { 200: json(list(AgentRouting), 'Agents') },
    }),
    async (c) => c.json({ data: await listAgentRouting(db) }, 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/routing/agents/{id}',
      tags: ['Routing'],
      summary: 'One agent',
      request: { params: IdParam },
      responses: { 200: json(AgentRouting, 'The agent') },
    }),
    async (c) => c.json(await getAgentRouting(db, c.req.valid('param').id), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/routing/agents/{id}',
      tags: ['Routing'],
      summary: "Set an agent's skills and levels, shifts, or capacity",
      request: { params: IdParam, body: jsonBody(AgentRoutingUpdate) },
      responses: { 200: json(AgentRouting, 'The agent') },
    }),
    async (c) => {
      const agent = await updateAgentRouting(db, {
        actor: actorOf(c),
        userId: c.req.valid('param').id,
        input: c.req.valid('json'),
      });
      return c.json(agent, 200);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/routing/rules',
      tags: ['Routing'],
      summary: 'List routing rules in order',
      responses: { 200: json(list(RoutingRule), 'Rules') },
    }),
    async (c) => c.json({ data: await listRules(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/routing/rules',
      tags: ['Routing'],
      summary: 'Create a rule (validated: fields, types, references, loops between rules)',
      request: { body: jsonBody(RoutingRuleInput) },
      responses: { 201: json(RoutingRule, 'The new rule') },
    }),
    async (c) => c.json(await createRule(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/routing/rules/{id}',
      tags: ['Routing'],
      summary: 'Replace a rule (validated like a new one)',
      request: { params: IdParam, body: jsonBody(RoutingRuleInput) },
      responses: { 200: json(RoutingRule, 'The rule') },
    }),
    async (c) =>
      c.json(await updateRule(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/routing/rules/{id}',
      tags: ['Routing'],
      summary: 'Delete a rule',
      request: { params: IdParam },
      responses: deleted,
    }),
    async (c) => {
      await deleteRule(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/sla-policies',
      tags: ['Routing'],
      summary: 'List SLA policies',
      responses: { 200: json(list(SlaPolicy), 'Policies') },
    }),
    async (c) => c.json({ data: await listSlaPolicies(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/sla-policies',
      tags: ['Routing'],
      summary: 'Create an SLA policy',
      request: { body: jsonBody(SlaPolicyInput) },
      responses: { 201: json(SlaPolicy, 'The new policy') },
    }),
    async (c) => c.json(await createSlaPolicy(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/sla-policies/{id}',
      tags: ['Routing'],
      summary: 'Replace an SLA policy (applies to conversations routed from now on)',
      request: { params: IdParam, body: jsonBody(SlaPolicyInput) },
      responses: { 200: json(SlaPolicy, 'The policy') },
    }),
    async (c) =>
      c.json(await updateSlaPolicy(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/sla-policies/{id}',
      tags: ['Routing'],
      summary: 'Delete an SLA policy',
      request: { params: IdParam },
      responses: deleted,
    }),
    async (c) => {
      await deleteSlaPolicy(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/routing/settings',
      tags: ['Routing'],
      summary: 'Workspace routing settings',
      responses: { 200: json(RoutingSettings, 'Settings') },
    }),
    async (c) => c.json(await getRoutingSettings(db), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/routing/settings',
      tags: ['Routing'],
      summary: 'Set re-route time for offline agents, default capacity and handling time',
      request: { body: jsonBody(RoutingSettings) },
      responses: { 200: json(RoutingSettings, 'Settings') },
    }),
    async (c) => {
      const s = await putRoutingSettings(db, { actor: actorOf(c), value: c.req.valid('json') });
      return c.json(s, 200);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/routing/queue',
      tags: ['Routing'],
      summary: 'Waiting conversations by priority then waiting time, with position and estimated wait',
      request: { query: z.object({ team: Id.optional() }) },
      responses: { 200: json(list(QueueEntry), 'The queue') },
    }),
    async (c) => c.json({ data: await listQueue(db, { teamId: c.req.valid('query').team, actor: actorOf(c) }) }, 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/routing/sla',
      tags: ['Routing'],
      summary: 'SLA state and due times of many conversations at once (for lists); unknown or hidden ids are left out',
      request: {
        query: z.object({
          ids: z
            .string()
            .max(4000)
            .transform((v, ctx) => {
              const ids = v
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean);
              if (ids.length > 100) ctx.addIssue({ code: 'custom', message: 'at most 100 ids' });
              for (const id of ids) if (!Id.safeParse(id).success) ctx.addIssue({ code: 'custom', message: `not a UUID: ${id}` });
              return ids;
            })
            .meta({ description: 'Comma-separated conversation ids (at most 100)' }),
        }),
      },
      responses: { 200: json(list(ConversationSla), 'SLA state per conversation') },
    }),
    async (c) => c.json({ data: await getSlaStates(db, { actor: actorOf(c), ids: c.req.valid('query').ids }) }, 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/routing',
      tags: ['Routing'],
      summary: 'How a conversation was routed: state, queue position, rules fired, SLA due times and state',
      request: { params: IdParam },
      responses: { 200: json(ConversationRouting, 'Routing of the conversation') },
    }),
    async (c) => c.json(await getConversationRouting(db, { actor: actorOf(c), conversationId: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'patch',
      path: '/conversations/{id}/routing',
      tags: ['Routing'],
      summary: 'Set language, required skills or routing team by hand (a queued conversation is routed again)',
      request: { params: IdParam, body: jsonBody(ConversationRoutingUpdate) },
      responses: { 200: json(ConversationRouting, 'Routing of the conversation') },
    }),
    async (c) => {
      const r = await updateConversationRouting(db, {
        actor: actorOf(c),
        conversationId: c.req.valid('param').id,
        input: c.req.valid('json'),
      });
      return c.json(r, 200);
    },
  );
}
