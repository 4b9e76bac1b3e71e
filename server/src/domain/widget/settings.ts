import { randomBytes } from 'node:crypto';
import { AppError, WidgetSettings } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

type Settings = WidgetSettings;

const widgetOf = (settings: Record<string, unknown>): Settings => {
  const parsed = WidgetSettings.safeParse(settings.widget ?? {});
  return parsed.success ? parsed.data : {};
};

/** The web inbox behind a public website token, with its widget settings. */
export async function inboxByWebsiteToken(db: Db, websiteToken: string) {
  const row = await db
    .selectFrom('inboxes')
    .select(['id', 'name', 'settings', 'identity_secret'])
    .where('website_token', '=', websiteToken)
    .where('channel', '=', 'web')
    .executeTakeFirst();
  if (!row) throw new AppError('unauthenticated', 'unknown website token');
  return { id: row.id, name: row.name, widget: widgetOf(row.settings), identitySecret: row.identity_secret };
}

/** Admin view: the settings and the identity secret (shown to admins only). */
export async function getWidgetAdmin(db: Db, inboxId: string) {
  const row = await db
    .selectFrom('inboxes')
    .select(['settings', 'identity_secret', 'channel'])
    .where('id', '=', inboxId)
    .executeTakeFirst();
  if (row?.channel !== 'web') throw new AppError('not_found', 'web inbox not found');
  return { settings: widgetOf(row.settings), identitySecret: row.identity_secret };
}

export type UpdateWidgetSettingsProps = { actor: Actor; inboxId: string; change: Settings };

/** Merges a change into the inbox's widget settings (nested objects replace as a whole). */
export async function updateWidgetSettings(db: Db, { actor, inboxId, change }: UpdateWidgetSettingsProps) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['settings', 'identity_secret', 'channel'])
      .where('id', '=', inboxId)
      .forUpdate()
      .executeTakeFirst();
    if (row?.channel !== 'web') throw new AppError('not_found', 'web inbox not found');
    const before = widgetOf(row.settings);
    const after: Settings = { ...before, ...change };
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, widget: after }) })
      .where('id', '=', inboxId)
      .execute();
    await recordAudit(trx, { actor, action: 'inbox.widget_updated', entityType: 'inbox', entityId: inboxId, before, after });
    return { settings: after, identitySecret: row.identity_secret };
  });
}

export type PublicConfigProps = { inbox: { name: string; widget: Settings }; agentsOnline: number; locale?: string };

/** What the widget gets at boot: public settings only (never the secret), plus who is online now. */
export function publicConfig({ inbox, agentsOnline, locale }: PublicConfigProps) {
  const w = inbox.widget;
  // The visitor's language: its texts where the inbox has them, the default ones otherwise.
  const own = locale ? w.translations?.[locale.slice(0, 2).toLowerCase()] : undefined;
  return {
    title: w.title ?? inbox.name,
    color: w.color ?? '#2563eb',
    position: w.position ?? 'right',
    greeting: own?.greeting ?? w.greeting ?? null,
    businessHours: own?.businessHours ?? w.businessHours ?? null,
    replyTime: own?.replyTime ?? w.replyTime ?? null,
    features: { csat: true, history: true, emailCapture: true, attachments: true, ...w.features },
    preChatForm: w.preChatForm ?? { enabled: false },
    identityRequired: w.identityRequired ?? false,
    typingPreview: w.typingPreview ?? false,
    proactive: w.proactive ?? [],
    bot: { enabled: botOf(w).enabled, name: botOf(w).name },
    agentsOnline,
  };
}

export type TypingPreviewEnabledProps = { conversationId: string };

/** Whether the conversation's inbox has the live typing preview on (off by default, and off for other channels). */
export async function typingPreviewEnabled(db: Db, { conversationId }: TypingPreviewEnabledProps): Promise<boolean> {
  const row = await db
    .selectFrom('conversations as c')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .select(['i.settings', 'i.channel'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  return row?.channel === 'web' && widgetOf(row.settings).typingPreview === true;
}

/** The inbox's bot settings with defaults: on, hands off after two unhelpful answers. */
export function botSettingsOf(settings: Record<string, unknown>) {
  return botOf(widgetOf(settings));
}

function botOf(w: Settings) {
  const bot = w.bot ?? {};
  return { enabled: bot.enabled ?? true, name: bot.name ?? 'Assistant', handoffAfterUnhelpful: bot.handoffAfterUnhelpful ?? 2 };
}

export type RotateIdentitySecretProps = { actor: Actor; inboxId: string };

/**
 * A new identity-verification secret for a web inbox (after a leak, or on a schedule). Hashes and
 * tokens signed with the old one stop verifying at once, so the site's backend must switch with it.
 */
export async function rotateIdentitySecret(db: Db, { actor, inboxId }: RotateIdentitySecretProps) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('inboxes')
      .set({ identity_secret: randomBytes(32).toString('hex') })
      .where('id', '=', inboxId)
      .where('channel', '=', 'web')
      .returning(['settings', 'identity_secret'])
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'web inbox not found');
    await recordAudit(trx, { actor, action: 'inbox.identity_secret_rotated', entityType: 'inbox', entityId: inboxId });
    return { settings: widgetOf(row.settings), identitySecret: row.identity_secret };
  });
}
