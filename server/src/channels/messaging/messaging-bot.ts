import { AppError, Id } from '@autocrm/shared';
import { z } from 'zod';
import type { Actor } from '../../domain/actor';
import { recordAudit } from '../../domain/audit/record-audit';
import { actorOf } from '../../http/actor-of';
import type { App } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import type { Db } from '../../storage/db';

// The bot in SMS, WhatsApp and Messenger inboxes: off unless an admin turns it on per inbox (a text
// costs money and a customer may not expect a machine). When on, a new conversation of that inbox is
// the bot's first, like a widget room, and its answers go out as plain text (links written out).

const MESSAGING = ['sms', 'whatsapp', 'messenger'];
const BotSetting = z.strictObject({ enabled: z.boolean() }).meta({ id: 'MessagingBotSetting' });

/** Whether new conversations of this inbox start with the bot. */
export async function messagingBotEnabled(db: Db, inboxId: string): Promise<boolean> {
  const row = await db.selectFrom('inboxes').select('settings').where('id', '=', inboxId).executeTakeFirst();
  return (row?.settings as { messagingBot?: { enabled?: boolean } } | undefined)?.messagingBot?.enabled === true;
}

export async function setMessagingBot(db: Db, props: { actor: Actor; inboxId: string; enabled: boolean }) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['channel', 'settings'])
      .where('id', '=', props.inboxId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || !MESSAGING.includes(row.channel)) throw new AppError('not_found', 'SMS, WhatsApp or Messenger inbox not found');
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, messagingBot: { enabled: props.enabled } }) })
      .where('id', '=', props.inboxId)
      .execute();
    await recordAudit(trx, {
      actor: props.actor,
      action: 'inbox.messaging_bot_updated',
      entityType: 'inbox',
      entityId: props.inboxId,
      after: { enabled: props.enabled },
    });
  });
  return { enabled: props.enabled };
}

export function messagingBotRoutes(app: App, db: Db) {
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/messaging-bot',
      tags: ['Inboxes'],
      summary: 'Whether the bot answers new conversations of an SMS, WhatsApp or Messenger inbox first',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(BotSetting, 'The setting (off by default)') },
    }),
    async (c) => c.json({ enabled: await messagingBotEnabled(db, c.req.valid('param').id) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/inboxes/{id}/messaging-bot',
      tags: ['Inboxes'],
      summary: 'Turn the bot on or off for new conversations of an SMS, WhatsApp or Messenger inbox',
      request: { params: z.object({ id: Id }), body: jsonBody(BotSetting) },
      responses: { 200: json(BotSetting, 'The setting') },
    }),
    async (c) =>
      c.json(
        await setMessagingBot(db, { actor: actorOf(c), inboxId: c.req.valid('param').id, enabled: c.req.valid('json').enabled }),
        200,
      ),
  );
}
