import {
  type AgentNotificationPrefs,
  type AgentNotificationPrefsUpdate,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationPathPrefs,
} from '@autocrm/shared';
import type { Db } from '../../storage/db';

/** Out of the box: everything in the centre, on the desktop and by push; mail for what is addressed to you. */
const DEFAULT_PATHS: Record<NotificationKind, NotificationPathPrefs> = {
  assigned: { inApp: true, desktop: true, push: true, email: true },
  'customer.replied': { inApp: true, desktop: true, push: true, email: true },
  mention: { inApp: true, desktop: true, push: true, email: true },
  'sla.warning': { inApp: true, desktop: true, push: true, email: false },
  'sla.breached': { inApp: true, desktop: true, push: true, email: true },
  reopened: { inApp: true, desktop: true, push: true, email: false },
  'snooze.ended': { inApp: true, desktop: true, push: false, email: false },
};

function merge(stored: { [key: string]: unknown } | undefined, sound: boolean | undefined): AgentNotificationPrefs {
  const kinds = {} as Record<NotificationKind, NotificationPathPrefs>;
  for (const k of NOTIFICATION_KINDS) {
    const s = (stored?.[k] ?? {}) as Partial<NotificationPathPrefs>;
    const d = DEFAULT_PATHS[k];
    kinds[k] = {
      inApp: typeof s.inApp === 'boolean' ? s.inApp : d.inApp,
      desktop: typeof s.desktop === 'boolean' ? s.desktop : d.desktop,
      push: typeof s.push === 'boolean' ? s.push : d.push,
      email: typeof s.email === 'boolean' ? s.email : d.email,
    };
  }
  return { kinds, sound: sound ?? true };
}

export type GetAgentNotificationPrefsProps = { userId: string };

export async function getAgentNotificationPrefs(
  db: Db,
  { userId }: GetAgentNotificationPrefsProps,
): Promise<AgentNotificationPrefs> {
  const row = await db.selectFrom('agent_notification_prefs').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return merge(row?.kinds, row?.sound);
}

/** Several agents' preferences at once (a notification to many). */
export async function agentNotificationPrefsOf(
  db: Db,
  { userIds }: { userIds: string[] },
): Promise<Map<string, AgentNotificationPrefs>> {
  const out = new Map<string, AgentNotificationPrefs>();
  if (!userIds.length) return out;
  const rows = await db.selectFrom('agent_notification_prefs').selectAll().where('user_id', 'in', userIds).execute();
  for (const id of userIds) {
    const row = rows.find((r) => r.user_id === id);
    out.set(id, merge(row?.kinds, row?.sound));
  }
  return out;
}

export type SetAgentNotificationPrefsProps = { userId: string; input: AgentNotificationPrefsUpdate };

export async function setAgentNotificationPrefs(
  db: Db,
  { userId, input }: SetAgentNotificationPrefsProps,
): Promise<AgentNotificationPrefs> {
  const before = await getAgentNotificationPrefs(db, { userId });
  const kinds = { ...before.kinds };
  for (const [k, v] of Object.entries(input.kinds ?? {}) as [NotificationKind, Partial<NotificationPathPrefs>][]) {
    kinds[k] = { ...kinds[k], ...v };
  }
  const sound = input.sound ?? before.sound;
  const values = { kinds: JSON.stringify(kinds), sound, updated_at: new Date() };
  await db
    .insertInto('agent_notification_prefs')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return { kinds, sound };
}
