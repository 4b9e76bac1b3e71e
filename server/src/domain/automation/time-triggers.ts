import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { AutomationNotification } from './automation-actions';
import { type AutomationRuleDef, loadAutomationRules } from './automation-rules';
import { runAutomation } from './run-automation';

const HOUR_MS = 3_600_000;
const BATCH = 100;

/**
 * When the time counted by a trigger starts: the customer's first unanswered message, or the moment the
 * conversation entered its current status. The firing key carries it, so a rule fires once per wait:
 * after a reply and a new customer message, the clock (and the rule) starts again.
 */
function anchorOf(def: AutomationRuleDef) {
  return def.trigger.type === 'no_reply_for'
    ? sql<Date>`c.waiting_since`
    : sql<Date>`coalesce((SELECT max(sh.at) FROM status_history sh WHERE sh.conversation_id = c.id), c.created_at)`;
}

/**
 * Time-based triggers ("no reply for 4 hours", "pending for 3 days"): finds the conversations whose time
 * is up and that the rule has not fired on for this wait, and runs the rule on each in its own
 * transaction. The firing row is the claim, so two processes never fire a rule twice. Returns how many
 * conversations were looked at.
 */
export async function runTimeTriggers(
  db: Db,
  now: Date,
): Promise<{ runs: number; notifications: AutomationNotification[]; webhookDeliveries: string[] }> {
  const rules = await loadAutomationRules(db, { triggers: ['no_reply_for', 'in_status_for'] });
  const notifications: AutomationNotification[] = [];
  const webhookDeliveries: string[] = [];
  let runs = 0;
  for (const def of rules) {
    const t = def.trigger;
    if (t.type !== 'no_reply_for' && t.type !== 'in_status_for') continue;
    const due = new Date(now.getTime() - t.hours * HOUR_MS);
    const anchor = anchorOf(def);
    const key = sql<string>`'time:' || c.id || ':' || (extract(epoch from ${anchor}) * 1000)::bigint`;
    const candidates = await db
      .selectFrom('conversations as c')
      .select(['c.id', anchor.as('anchor')])
      .$if(t.type === 'no_reply_for', (q) =>
        q.where('c.waiting_since', 'is not', null).where('c.status_category', 'in', ['open', 'pending']),
      )
      .$if(t.type === 'in_status_for', (q) => q.where('c.status_category', '=', t.type === 'in_status_for' ? t.category : 'open'))
      .where(anchor, '<=', due)
      // A snoozed conversation is out of the queues: its time counts again when it wakes.
      .where('c.snoozed_until', 'is', null)
      .where('c.snooze_until_reply', '=', false)
      .$if(!!def.inboxId, (q) => q.where('c.inbox_id', '=', def.inboxId as string))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('automation_firings as f').select('f.id').where('f.rule_id', '=', def.id).where('f.event_key', '=', key),
          ),
        ),
      )
      .orderBy(anchor)
      .limit(BATCH)
      .execute();
    for (const cand of candidates) {
      const at = new Date(cand.anchor);
      const label = t.type === 'no_reply_for' ? `no reply for ${t.hours} h` : `${t.category} for ${t.hours} h`;
      runs += 1;
      const result = await db.transaction().execute(async (trx) => {
        const locked = await trx
          .selectFrom('conversations')
          .select('id')
          .where('id', '=', cand.id)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!locked) return null; // another process has it now; the next round sees what it did
        return runAutomation(trx, {
          conversationId: cand.id,
          eventKey: `time:${cand.id}:${at.getTime()}`,
          eventType: `time:${t.type}`,
          triggerLabel: label,
          depth: 0,
          rules: [def],
          now,
        });
      });
      notifications.push(...(result?.notifications ?? []));
      webhookDeliveries.push(...(result?.webhookDeliveries ?? []));
    }
  }
  return { runs, notifications, webhookDeliveries };
}
