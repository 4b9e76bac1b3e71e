import type { Db } from '../../storage/db';
import { hashToken, newToken } from './tokens';

export type AccountMailKind = 'invitation' | 'password_reset';

export type QueueAccountMailProps = { kind: AccountMailKind; refId: string };

/** Queues an account mail in the caller's transaction: it is sent if and only if the change commits. */
export async function queueAccountMail(trx: Db, { kind, refId }: QueueAccountMailProps): Promise<void> {
  await trx.insertInto('account_mails').values({ kind, ref_id: refId }).execute();
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
 * in the latest mail works) and composes the mail; undefined when it is no longer wanted (the
 * invitation was revoked or accepted meanwhile, the user deactivated).
 */
export async function mintAccountMail(trx: Db, { mail, settings }: MintAccountMailProps): Promise<ComposedMail | undefined> {
  const token = newToken('');
  const base = settings.baseUrl.replace(/\/$/, '');
  if (mail.kind === 'invitation') {
    const inv = await trx
      .selectFrom('invitations as i')
      .leftJoin('users as u', 'u.id', 'i.invited_by')
      .select(['i.id', 'i.email', 'i.name', 'i.role', 'i.accepted_at', 'i.revoked_at', 'u.name as inviter'])
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
    return compose(
      inv.email,
      `${inv.inviter ?? 'Your team'} invited you to AutoCRM`,
      [
        inv.name ? `Hello ${inv.name},` : 'Hello,',
        `${inv.inviter ?? 'An admin'} invited you to join the support team on AutoCRM as ${inv.role === 'admin' ? 'an admin' : `a ${inv.role}`}.`,
        'Choose your name and a password to get started:',
      ],
      { url: `${base}/invite/${token}`, label: 'Accept the invitation' },
      `The link works once and until ${expires.toUTCString()}. If you did not expect this, ignore this mail.`,
    );
  }
  const reset = await trx
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.used_at', 'u.email', 'u.name', 'u.active'])
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
  return compose(
    reset.email,
    'Reset your AutoCRM password',
    [`Hello ${reset.name},`, 'Someone (hopefully you) asked to reset the password of your AutoCRM account.'],
    { url: `${base}/reset-password/${token}`, label: 'Choose a new password' },
    `The link works once and for ${settings.resetTtlMinutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.`,
  );
}
