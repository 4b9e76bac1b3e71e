import type { Conversation } from '@autocrm/shared';
import { sql } from 'kysely';
import { withCause } from '../../events/cause';
import type { Db } from '../../storage/db';
import { presentConversation } from '../conversations/present-conversation';
import { appendMessage } from '../messages/append-message';
import type { Calendar } from '../routing/business-hours';
import { type Facts, matches } from '../routing/evaluate-rules';
import type { Action } from '../routing/rule-types';
import { loadCalendars } from '../routing/teams';
import { type AutomationNotification, executeActions } from './automation-actions';
import type { AutomationRuleDef } from './automation-rules';

/**
 * Loop protection. An event written by a rule's actions carries depth n+1; at MAX_DEPTH no rule fires
 * (so a rule that re-triggers itself, or two that trigger each other, stop after MAX_DEPTH rounds), and
 * one conversation takes at most RATE_CAP_PER_HOUR firings an hour whatever their causes.
 */
export const MAX_DEPTH = 3;
export const RATE_CAP_PER_HOUR = 30;
const HOUR_MS = 3_600_000;

/** What to do after the firing commits: notifications to send, webhook deliveries to wake the worker for. */
export interface AutomationResult {
  notifications: AutomationNotification[];
  webhookDeliveries: string[];
}

export interface AutomationRun {
  conversationId: string;
  /** One firing per rule and key: `event:<outbox id>` or `time:<conversation>:<anchor>`. */
  eventKey: string;
  /** Recorded with the firing: the event type, or `time:<trigger>`. */
  eventType: string;
  /** Human words for the system line ("customer message"). */
  triggerLabel: string;
  /** 0 for what people and channels did; the cause's depth for what automation did. */
  depth: number;
  rules: AutomationRuleDef[];
  /** Text conditions read: the message, for message events. */
  text?: string | undefined;
  now: Date;
}

async function factsOf(trx: Db, c: Conversation, run: AutomationRun, calendars: () => Promise<Map<string, Calendar>>) {
  const needsCalendar = run.rules.some((r) => r.rule.conditions.some((x) => x.field === 'business_hours'));
  const [contact, routing, lastCustomer] = await Promise.all([
    trx.selectFrom('contacts').select('attributes').where('id', '=', c.contactId).executeTakeFirst(),
    trx.selectFrom('conversation_routing').select('language').where('conversation_id', '=', c.id).executeTakeFirst(),
    run.text === undefined
      ? trx
          .selectFrom('messages')
          .select('body_text')
          .where('conversation_id', '=', c.id)
          .where('author_kind', '=', 'contact')
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined,
  ]);
  return {
    inboxId: c.inboxId,
    channel: c.channel,
    tags: c.tags,
    priority: c.priority,
    language: routing?.language ?? null,
    customFields: c.customFields,
    text: [c.subject ?? '', run.text ?? lastCustomer?.body_text ?? ''].join('\n'),
    contactAttributes: contact?.attributes ?? {},
    now: run.now,
    calendars: needsCalendar ? await calendars() : new Map(),
    statusCategory: c.status.category,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
  } satisfies Facts;
}

const describe = (actions: Action[]) => actions.map((a) => a.type).join(', ');

/**
 * Runs the rules a trigger started on one conversation, in order, inside the caller's transaction. Each
 * rule fires at most once per event key (the firing row is claimed first, so a redelivered event or a
 * second worker finds it and does nothing). A rule's actions run under a savepoint: one that fails is
 * rolled back alone and its error recorded; the other rules still run. Every firing, skip and error is
 * recorded and written into the room as an internal system line. Returns notifications to send after commit.
 */
export async function runAutomation(trx: Db, run: AutomationRun): Promise<AutomationResult> {
  const none: AutomationResult = { notifications: [], webhookDeliveries: [] };
  let conversation = await presentConversation(trx, run.conversationId);
  if (!conversation) return none;
  const rules = run.rules.filter((r) => !r.inboxId || r.inboxId === conversation?.inboxId);
  if (!rules.length) return none;
  let cal: Map<string, Calendar> | undefined;
  const calendars = async () => {
    cal ??= await loadCalendars(trx);
    return cal;
  };
  const notifications: AutomationNotification[] = [];
  const webhookDeliveries: string[] = [];
  let facts = await factsOf(trx, conversation, run, calendars);
  for (const def of rules) {
    if (!matches(def.rule, facts)) continue;
    const claimed = await trx
      .insertInto('automation_firings')
      .values({
        rule_id: def.id,
        rule_name: def.name,
        conversation_id: conversation.id,
        event_key: run.eventKey,
        event_type: run.eventType,
        depth: run.depth,
        actions: JSON.stringify(def.rule.actions),
        result: 'skipped',
        fired_at: run.now,
      })
      .onConflict((oc) => oc.columns(['rule_id', 'event_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) continue; // fired for this event already (a redelivery)
    const cause = { ruleId: def.id, ruleName: def.name, depth: run.depth + 1 };
    let result: 'ok' | 'error' | 'skipped' = 'ok';
    let error: string | null = null;
    let line: string;
    if (run.depth >= MAX_DEPTH) {
      result = 'skipped';
      error = `loop protection: a chain of ${MAX_DEPTH} automation rounds stops here`;
      line = `Automation "${def.name}" did not run: ${error}.`;
    } else if (await overRateCap(trx, conversation.id, run.now)) {
      result = 'skipped';
      error = `loop protection: more than ${RATE_CAP_PER_HOUR} firings on this conversation in an hour`;
      line = `Automation "${def.name}" did not run: ${error}.`;
    } else {
      await sql`SAVEPOINT automation_rule`.execute(trx);
      try {
        const outcome = await withCause(cause, () =>
          executeActions(trx, {
            conversation: conversation as Conversation,
            actions: def.rule.actions,
            now: run.now,
            firing: { firingId: String(claimed.id), ruleId: def.id, ruleName: def.name, eventType: run.eventType },
          }),
        );
        await sql`RELEASE SAVEPOINT automation_rule`.execute(trx);
        notifications.push(...outcome.notifications);
        webhookDeliveries.push(...outcome.webhookDeliveries);
        line = `Automation "${def.name}" (${run.triggerLabel}): ${outcome.done.join('; ') || 'nothing to change'}.`;
      } catch (err) {
        await sql`ROLLBACK TO SAVEPOINT automation_rule`.execute(trx);
        result = 'error';
        error = err instanceof Error ? err.message : String(err);
        line = `Automation "${def.name}" failed (${describe(def.rule.actions)}): ${error}`;
      }
    }
    await trx.updateTable('automation_firings').set({ result, error }).where('id', '=', claimed.id).execute();
    // The system line is written under the rule's cause too, so nothing downstream mistakes it for a person.
    await withCause(cause, () =>
      appendMessage(trx, {
        conversationId: conversation?.id as string,
        authorKind: 'system',
        authorId: null,
        private: true,
        body: `<p>${escapeHtml(line)}</p>`,
      }),
    );
    // Later rules see what earlier ones did (a tag added, a new assignee).
    conversation = (await presentConversation(trx, conversation.id)) ?? conversation;
    facts = await factsOf(trx, conversation, run, calendars);
  }
  return { notifications, webhookDeliveries };
}

async function overRateCap(trx: Db, conversationId: string, now: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('automation_firings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .where('result', '=', 'ok')
    .where('fired_at', '>', new Date(now.getTime() - HOUR_MS))
    .executeTakeFirst();
  return Number(row?.n ?? 0) >= RATE_CAP_PER_HOUR;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
