import { format, stringsFor } from '@autocrm/shared/strings';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { hashToken, newToken } from './tokens';

export type AccountMailKind = 'invitation' | 'password_reset' | 'portal_link';

/** A customer portal sign-in link works for this long after it is sent (and once). */
export const PORTAL_LINK_TTL_MINUTES = 15;

export type QueueAccountMailProps = { kind: AccountMailKind; refId: string };

/** Queues an account mail in the caller's transaction: it is sent if and only if the change commits. */
export async function queueAccountMail(trx: Db, { kind, refId }: QueueAccountMailProps): Promise<void> {
  await trx.insertInto('account_mails').values({ kind, ref_id: refId }).execute();
  await emit(trx, 'account.mail_queued', { kind });
}

export interface ComposedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface LinkSettings {
  baseUrl: string;
  inviteTtlHours: number;
  resetTtlMinutes: number;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const compose = (to: string, subject: string, lines: string[], link: { url: string; label: string }, after: string) => ({
  to,
  subject,
  text: `${lines.join('\n\n')}\n\n${link.url}\n\n${after}\n`,
  html: `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1d2433">${lines
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join(
      '',
    )}<p><a href="${escapeHtml(link.url)}" style="display:inline-block;background:#2f5bea;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(link.label)}</a></p><p style="color:#667085;font-size:13px">${escapeHtml(after)}<br>${escapeHtml(link.url)}</p></div>`,
});

export type MintAccountMailProps = { mail: { kind: AccountMailKind; refId: string }; settings: LinkSettings };

/**
 * Mints the link of a queued mail (a new token whose hash replaces the stored one, so only the link
 * in the latest mail works) and composes the mail in the recipient's language (an invitation's chosen
 * language, else the inviting admin's; a reset in the user's profile language; English for a language
 * the catalogue lacks); undefined when it is no longer wanted (the
 * invitation was revoked or accepted meanwhile, the user deactivated).
 */
export async function mintAccountMail(trx: Db, { mail, settings }: MintAccountMailProps): Promise<ComposedMail | undefined> {
  const token = newToken('');
  const base = settings.baseUrl.replace(/\/$/, '');
  if (mail.kind === 'invitation') {
    const inv = await trx
      .selectFrom('invitations as i')
      .leftJoin('users as u', 'u.id', 'i.invited_by')
      .select([
        'i.id',
        'i.email',
        'i.name',
        'i.role',
        'i.accepted_at',
        'i.revoked_at',
        'i.locale',
        'u.name as inviter',
        'u.locale as inviter_locale',
      ])
      .where('i.id', '=', mail.refId)
      .forUpdate(['i'])
      .executeTakeFirst();
    if (!inv || inv.accepted_at || inv.revoked_at) return undefined;
    const expires = new Date(Date.now() + settings.inviteTtlHours * 3600_000);
    await trx
      .updateTable('invitations')
      .set({ token_hash: hashToken(token), expires_at: expires, sent_at: new Date() })
      .where('id', '=', inv.id)
      .execute();
    const m = stringsFor('accountMail', inv.locale ?? inv.inviter_locale);
    const role = inv.role === 'admin' ? m.roleAdmin : inv.role === 'supervisor' ? m.roleSupervisor : m.roleAgent;
    return compose(
      inv.email,
      inv.inviter ? format(m.inviteSubject, { inviter: inv.inviter }) : m.inviteSubjectNoInviter,
      [
        inv.name ? format(m.hello, { name: inv.name }) : m.helloNoName,
        inv.inviter ? format(m.inviteBody, { inviter: inv.inviter, role }) : format(m.inviteBodyNoInviter, { role }),
        m.inviteStart,
      ],
      { url: `${base}/invite/${token}`, label: m.inviteButton },
      format(m.inviteAfter, { expires: expires.toUTCString() }),
    );
  }
  if (mail.kind === 'portal_link') {
    const link = await trx
      .selectFrom('portal_links as l')
      .innerJoin('contacts as c', 'c.id', 'l.contact_id')
      .select(['l.id', 'l.email', 'l.used_at', 'c.name', 'c.erased_at'])
      .where('l.id', '=', mail.refId)
      .forUpdate(['l'])
      .executeTakeFirst();
    if (!link || link.used_at || link.erased_at) return undefined;
    const expires = new Date(Date.now() + PORTAL_LINK_TTL_MINUTES * 60_000);
    await trx
      .updateTable('portal_links')
      .set({ token_hash: hashToken(token), expires_at: expires })
      .where('id', '=', link.id)
      .execute();
    return compose(
      link.email,
      'Your sign-in link for the support portal',
      [link.name ? `Hello ${link.name},` : 'Hello,', 'Use this link to see and answer your support tickets:'],
      { url: `${base}/portal/sign-in/${token}`, label: 'Sign in to the support portal' },
      `The link works once and for ${PORTAL_LINK_TTL_MINUTES} minutes. If you did not ask for it, ignore this mail.`,
    );
  }
  const reset = await trx
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.used_at', 'u.email', 'u.name', 'u.active', 'u.locale'])
    .where('r.id', '=', mail.refId)
    .forUpdate(['r'])
    .executeTakeFirst();
  if (!reset || reset.used_at || !reset.active) return undefined;
  const expires = new Date(Date.now() + settings.resetTtlMinutes * 60_000);
  await trx
    .updateTable('password_resets')
    .set({ token_hash: hashToken(token), expires_at: expires })
    .where('id', '=', reset.id)
    .execute();
  const m = stringsFor('accountMail', reset.locale);
  return compose(
    reset.email,
    m.resetSubject,
    [format(m.hello, { name: reset.name }), m.resetBody],
    { url: `${base}/reset-password/${token}`, label: m.resetButton },
    format(m.resetAfter, { minutes: settings.resetTtlMinutes }),
  );
}
