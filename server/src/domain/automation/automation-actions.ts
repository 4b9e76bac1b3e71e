import { randomUUID } from 'node:crypto';
import { AppError, type Conversation, type ConversationUpdate, type MacroAction } from '@autocrm/shared';
import { sql } from 'kysely';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { presentConversation } from '../conversations/present-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { macroToUpdate } from '../macros/apply-macro';
import { renderTemplate, type TemplateContext } from '../macros/render-template';
import { appendMessage } from '../messages/append-message';
import type { Action } from '../routing/rule-types';
import { htmlToPlainText, plainTextToHtml } from '../text/sanitize';

/** A notify action's message, sent to people's sockets once the firing is committed. */
export interface AutomationNotification {
  userIds: string[];
  conversationId: string;
  title: string;
}

export interface ActionsOutcome {
  /** What each action did, in words, for the room's system line and the firing record. */
  done: string[];
  notifications: AutomationNotification[];
  /** Webhook deliveries queued (their ids), for the firing record and a poke of the delivery worker. */
  webhookDeliveries: string[];
}

const HOUR_MS = 3_600_000;

async function firstStatus(trx: Db, category: 'resolved') {
  const s = await trx
    .selectFrom('statuses')
    .select('id')
    .where('category', '=', category)
    .orderBy('is_default', 'desc')
    .orderBy('position')
    .executeTakeFirst();
  if (!s) throw new AppError('conflict', `no ${category} status exists`);
  return s.id;
}

async function templateContext(trx: Db, c: Conversation): Promise<TemplateContext> {
  const [contact, agent] = await Promise.all([
    trx.selectFrom('contacts').select(['name', 'email', 'phone', 'attributes']).where('id', '=', c.contactId).executeTakeFirst(),
    c.assigneeId
      ? trx.selectFrom('users').select(['name', 'email']).where('id', '=', c.assigneeId).executeTakeFirst()
      : undefined,
  ]);
  return {
    contact: contact ? { ...contact, attributes: contact.attributes ?? {} } : null,
    conversation: { number: c.number, subject: c.subject, customFields: c.customFields },
    agent: agent ?? null,
  };
}

async function post(trx: Db, c: Conversation, html: string, isPrivate: boolean) {
  const rendered = renderTemplate(html, await templateContext(trx, c));
  if (!htmlToPlainText(rendered.html)) return false;
  await appendMessage(trx, {
    conversationId: c.id,
    authorKind: 'system',
    authorId: null,
    private: isPrivate,
    body: rendered.html,
  });
  return true;
}

const nameOf = async (trx: Db, table: 'users' | 'teams', id: string) =>
  (await trx.selectFrom(table).select('name').where('id', '=', id).executeTakeFirst())?.name ?? id;

/** Changes to conversation fields go through the one conversation update (history, audit, events). */
async function update(trx: Db, id: string, u: ConversationUpdate): Promise<Conversation> {
  return applyConversationUpdate(trx, { actor: SYSTEM, id, update: u });
}

/** The firing the actions belong to: named in a webhook call's payload. */
export interface FiringRef {
  firingId: string;
  ruleId: string;
  ruleName: string;
  /** The event type, or `time:<trigger>`. */
  eventType: string;
}

export type ExecuteActionsProps = { conversation: Conversation; actions: Action[]; now: Date; firing?: FiringRef };

/** The payload type an automation webhook call carries (the endpoint gets it whatever events it subscribes to). */
export const AUTOMATION_WEBHOOK_EVENT = 'automation.rule_fired';

/**
 * Queues one signed POST to a webhook endpoint, in the firing's transaction (so it goes only if the rule's
 * changes commit). The webhook delivery worker sends it, signed with the endpoint's secret, through the
 * SSRF guard, with the same retries and delivery log as event webhooks. The delivery takes the next outbox
 * id as its event id: unique next to real events' deliveries, and in order with them.
 */
async function queueWebhookCall(trx: Db, props: { webhookId: string; c: Conversation; now: Date; firing?: FiringRef }) {
  const hook = await trx.selectFrom('webhooks').select(['id', 'url']).where('id', '=', props.webhookId).executeTakeFirst();
  if (!hook) throw new AppError('not_found', `webhook ${props.webhookId} no longer exists`);
  const seq = await sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('outbox', 'id'))::text AS id`.execute(trx);
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const payload = {
    type: AUTOMATION_WEBHOOK_EVENT,
    timestamp: props.now.toISOString(),
    data: {
      rule: props.firing ? { id: props.firing.ruleId, name: props.firing.ruleName } : null,
      firingId: props.firing?.firingId ?? null,
      trigger: props.firing?.eventType ?? null,
      conversation: props.c,
    },
  };
  await trx
    .insertInto('webhook_deliveries')
    .values({
      id,
      webhook_id: hook.id,
      event_id: Number(seq.rows[0]?.id),
      event_type: AUTOMATION_WEBHOOK_EVENT,
      payload: JSON.stringify(payload),
      next_attempt_at: props.now,
      updated_at: props.now,
    })
    .execute();
  return { deliveryId: id, url: hook.url };
}

/**
 * Runs a rule's actions, in order, on one conversation, inside the caller's transaction. Throws on the
 * first action that fails (the caller rolls the rule's changes back and records the error).
 */
export async function executeActions(
  trx: Db,
  { conversation, actions, now, firing }: ExecuteActionsProps,
): Promise<ActionsOutcome> {
  const out: ActionsOutcome = { done: [], notifications: [], webhookDeliveries: [] };
  let c = conversation;
  for (const a of actions) {
    switch (a.type) {
      case 'assign_agent':
        c = await update(trx, c.id, { assigneeId: a.userId });
        out.done.push(`assigned to ${await nameOf(trx, 'users', a.userId)}`);
        break;
      case 'unassign':
        c = await update(trx, c.id, { assigneeId: null });
        out.done.push('unassigned');
        break;
      case 'route_to_team':
        c = await update(trx, c.id, { teamId: a.teamId });
        out.done.push(`team set to ${await nameOf(trx, 'teams', a.teamId)}`);
        break;
      case 'set_priority':
        c = await update(trx, c.id, { priority: a.priority });
        out.done.push(`priority set to ${a.priority}`);
        break;
      case 'set_status':
        c = await update(trx, c.id, { statusId: a.statusId });
        out.done.push(`status set to ${c.status.name}`);
        break;
      case 'resolve':
        c = await update(trx, c.id, { statusId: await firstStatus(trx, 'resolved') });
        out.done.push('resolved');
        break;
      case 'add_tags':
        c = await update(trx, c.id, { addTags: a.tags });
        out.done.push(`tagged ${a.tags.join(', ')}`);
        break;
      case 'remove_tags':
        c = await update(trx, c.id, { removeTags: a.tags });
        out.done.push(`untagged ${a.tags.join(', ')}`);
        break;
      case 'add_note':
        if (await post(trx, c, plainTextToHtml(a.body), true)) out.done.push('added a note');
        break;
      case 'send_reply':
        if (await post(trx, c, plainTextToHtml(a.body), false)) out.done.push('sent a reply');
        break;
      case 'apply_macro': {
        const macro = await trx
          .selectFrom('macros')
          .select(['id', 'name', 'body_html', 'note_html', 'actions'])
          .where('id', '=', a.macroId)
          .where('visibility', '=', 'shared')
          .executeTakeFirst();
        if (!macro) throw new AppError('not_found', `macro ${a.macroId} no longer exists`);
        const u = macroToUpdate(macro.actions as MacroAction[], SYSTEM);
        if (u) c = await update(trx, c.id, u);
        await post(trx, c, macro.body_html, false);
        await post(trx, c, macro.note_html, true);
        await trx
          .insertInto('macro_uses')
          .values({ macro_id: macro.id, macro_name: macro.name, user_id: null, conversation_id: c.id })
          .execute();
        out.done.push(`applied macro "${macro.name}"`);
        break;
      }
      case 'snooze': {
        if (c.status.category === 'resolved' || c.status.category === 'closed')
          throw new AppError('conflict', 'a resolved or closed conversation cannot be snoozed');
        await trx
          .updateTable('conversations')
          .set({
            snoozed_until: new Date(now.getTime() + a.hours * HOUR_MS),
            snooze_until_reply: true,
            snoozed_by: null,
            updated_at: now,
          })
          .where('id', '=', c.id)
          .execute();
        c = (await presentConversation(trx, c.id)) ?? c;
        await emit(trx, 'conversation.updated', { conversation: c, changed: ['snooze'] });
        out.done.push(`snoozed for ${a.hours} h or until the customer replies`);
        break;
      }
      case 'notify': {
        const members = a.teamId
          ? await trx.selectFrom('team_members').select('user_id').where('team_id', '=', a.teamId).execute()
          : [];
        const userIds = [...new Set([...(a.userIds ?? []), ...members.map((m) => m.user_id)])];
        out.notifications.push({ userIds, conversationId: c.id, title: `#${c.number}: ${a.message}` });
        out.done.push(`notified ${userIds.length} ${userIds.length === 1 ? 'person' : 'people'}`);
        break;
      }
      case 'set_custom_field':
        c = await update(trx, c.id, { customFields: { [a.key]: a.value } });
        out.done.push(a.value === null ? `cleared ${a.key}` : `set ${a.key} to ${JSON.stringify(a.value)}`);
        break;
      case 'call_webhook': {
        const call = await queueWebhookCall(trx, { webhookId: a.webhookId, c, now, ...(firing ? { firing } : {}) });
        out.webhookDeliveries.push(call.deliveryId);
        out.done.push(`called webhook ${new URL(call.url).host} (delivery ${call.deliveryId})`);
        break;
      }
      case 'require_skill':
        throw new AppError('validation_failed', 'require_skill is a routing action');
    }
  }
  return out;
}
