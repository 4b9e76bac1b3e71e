import { AppError, AutomationFiring, AutomationRule, AutomationRuleInput, Id } from '@autocrm/shared';
import { z } from 'zod';
import { hasScope } from '../../domain/actor';
import {
  createAutomationRule,
  deleteAutomationRule,
  listAutomationFirings,
  listAutomationRules,
  updateAutomationRule,
} from '../../domain/automation/automation-rules';
import { getVisibleConversation } from '../../domain/conversations/status-history';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** Automation rules: everyone who works conversations may read them and their firings; admins change them. */
export function automationRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/automation/rules',
      operationId: 'listAutomationRules',
      tags: ['Automation'],
      summary: 'List automation rules in order',
      description:
        'Every automation rule (enabled or not, global or per inbox) in the order they run, each with when it last fired and how that went.',
      responses: { 200: json(list(AutomationRule), 'Rules') },
    }),
    async (c) => c.json({ data: await listAutomationRules(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/automation/rules',
      operationId: 'createAutomationRule',
      tags: ['Automation'],
      summary: 'Create an automation rule',
      description:
        'A trigger (an event, or time since one), conditions in the routing rules language and actions. Every field, type and reference is checked; errors name the condition or action (`issues[].path`, e.g. `actions.1.userId`).',
      request: { body: jsonBody(AutomationRuleInput) },
      responses: { 201: json(AutomationRule, 'The new rule') },
    }),
    async (c) => c.json(await createAutomationRule(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/automation/rules/{id}',
      operationId: 'updateAutomationRule',
      tags: ['Automation'],
      summary: 'Replace an automation rule',
      description: 'Replaces the rule with the body given, checked like a new one. Its firing history stays.',
      request: { params: IdParam, body: jsonBody(AutomationRuleInput) },
      responses: { 200: json(AutomationRule, 'The rule') },
    }),
    async (c) =>
      c.json(await updateAutomationRule(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/automation/rules/{id}',
      operationId: 'deleteAutomationRule',
      tags: ['Automation'],
      summary: 'Delete an automation rule',
      description: 'Deletes the rule; its past firings stay recorded under its name.',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteAutomationRule(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/automation/firings',
      operationId: 'listAutomationFirings',
      tags: ['Automation'],
      summary: 'Recent automation firings',
      description:
        'Each firing: which rule, on which event and conversation, the actions, and the result (`ok`, `error` with its message, or `skipped` by loop protection). Newest first. Filtered by conversation, the caller must be able to see it; unfiltered needs the admin scope.',
      request: {
        query: z.object({
          ruleId: Id.optional(),
          conversationId: Id.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: { 200: json(list(AutomationFiring), 'Firings, newest first') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const actor = actorOf(c);
      if (q.conversationId) await getVisibleConversation(db, { actor, id: q.conversationId });
      // Unfiltered, firings name conversations of every inbox: others ask per conversation.
      else if (!hasScope(actor, 'admin'))
        throw new AppError('validation_failed', 'conversationId: required (listing every firing needs the admin scope)', [
          { path: 'conversationId', message: 'required unless you have the admin scope' },
        ]);
      return c.json({ data: await listAutomationFirings(db, q) }, 200);
    },
  );
}
