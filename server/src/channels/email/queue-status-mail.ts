import type { Conversation, DomainEvent } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import type { Config } from '../../config';
import { BACK_ONLINE_CLIENT_ID } from '../../domain/notifications/back-online';
import type { EventListener } from '../../events/listener';
import { wakeWhenQueued } from '../../events/wake-when-queued';
import type { Db } from '../../storage/db';
import { type EmailInbox, listEmailInboxes } from './inbox-addresses';
import { contactOf, sendingInbox } from './queue-composed';
import { threadHeaders } from './queue-reply';
import type { ThreadTokens } from './thread-token';

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif';

const portalUrlOf = (base: () => string, id: string) => `${base().replace(/\/$/, '')}/portal/tickets/${id}`;

/**
 * A notice about a conversation queued in its mail thread (In-Reply-To and References, so mail clients
 * keep one thread and an answer lands in the room), its body composed now and kept with it.
 */
export async function queueThreadedNotice(
  trx: Db,
  tokens: ThreadTokens,
  props: {
    kind: 'status' | 'back_online';
    notice: 'resolved' | 'pending' | null;
    inbox: EmailInbox;
    conversation: Pick<Conversation, 'id' | 'subject'>;
    to: { address: string; name: string | null };
    compose: (title: string) => { html: string; text: string };
    delaySeconds: number;
  },
) {
  const { inbox, conversation } = props;
  const thread = await threadHeaders(trx, conversation.id);
  const title = conversation.subject ?? thread.lastIn?.subject ?? 'Your conversation';
  const subject = /^re:/i.test(title) ? title : `Re: ${title}`;
  const body = props.compose(title);
  const domain = inbox.address.slice(inbox.address.lastIndexOf('@') + 1);
  await trx
    .insertInto('email_messages')
    .values({
      kind: props.kind,
      notice_status: props.notice,
      inbox_id: inbox.id,
      conversation_id: conversation.id,
      direction: 'out',
      rfc_message_id: tokens.messageId(conversation.id, domain),
      in_reply_to: thread.inReplyTo,
      refs: JSON.stringify(thread.refs),
      from_address: inbox.address,
      from_name: inbox.name.includes('@') ? 'Support' : inbox.name,
      to_addresses: JSON.stringify([props.to]),
      cc_addresses: '[]',
      subject: subject.slice(0, 998),
      full_html: body.html,
      full_text: body.text,
      status: 'queued',
      next_attempt_at: new Date(Date.now() + props.delaySeconds * 1000),
    })
    .execute();
}

/** A notice's body: its lines, then the way to the conversation in the portal. */
export function noticeMail(lines: string[], portalUrl: string) {
  const portal = 'You can also read and answer it in the customer portal:';
  const html = [
    `<div style="${FONT};font-size:15px;line-height:1.55;color:#1f2430;max-width:560px">`,
    ...lines.map((l) => `<p>${escapeUTF8(l)}</p>`),
    `<p>${escapeUTF8(portal)} <a href="${escapeUTF8(portalUrl)}">${escapeUTF8(portalUrl)}</a></p>`,
    '</div>',
  ].join('');
  return { html, text: [...lines, '', `${portal} ${portalUrl}`].join('\n') };
}

/** What a status mail says, by the status it tells of. */
export function statusMail(props: { notice: 'resolved' | 'pending'; title: string; portalUrl: string }) {
  const { notice, title, portalUrl } = props;
  const lines =
    notice === 'resolved'
      ? [`Your conversation “${title}” was resolved.`, 'Need anything else? Reply to this email and it opens again.']
      : [`We are waiting on you: support needs an answer from you to go on with “${title}”.`, 'Reply to this email to answer.'];
  return noticeMail(lines, portalUrl);
}

/** What both notice listeners are made with. */
interface NoticeOptions {
  config: Config;
  tokens: ThreadTokens;
  publicBaseUrl: () => string;
  onQueued: () => void;
}

/**
 * Who a notice about this conversation goes to and through which inbox; undefined when it cannot go by
 * mail (no contact address, no email inbox, or no SMTP to send through).
 */
async function noticeRoute(
  trx: Db,
  config: Config,
  conversation: Pick<Conversation, 'contactId' | 'inboxId' | 'channel'>,
): Promise<{ to: { address: string; name: string | null }; inbox: EmailInbox } | undefined> {
  const to = await contactOf(trx, conversation.contactId);
  if (!to) return undefined;
  const inbox = sendingInbox(await listEmailInboxes(trx), conversation);
  if (!inbox || !(inbox.smtp ?? config.SMTP_URL)) return undefined;
  return { to, inbox };
}

/**
 * A status change a customer should hear of (resolved; waiting on them), by email, in the conversation's
 * mail thread so that answering reopens it in the room. Queued in the relay's transaction with the away
 * delay; the sender skips it if the customer is in the chat by then (they saw it there), if the
 * conversation moved on to another status, or if they turned these mails off (their preferences, the
 * one-click unsubscribe it carries). Email conversations hear of "waiting on you" from the agent's reply
 * itself, and a resolve that brings the CSAT survey by mail is told by the survey.
 */
export function queueStatusMails(options: NoticeOptions): EventListener {
  return wakeWhenQueued(
    {
      name: 'email-status-mails',
      events: ['conversation.status_changed'],
      async inTransaction(event, trx): Promise<boolean> {
        const { conversation, fromStatusId } = (event as DomainEvent<'conversation.status_changed'>).data;
        if (fromStatusId === conversation.status.id) return false;
        const cat = conversation.status.category;
        if (cat !== 'resolved' && cat !== 'pending') return false;
        const isEmail = conversation.channel === 'email';
        if (cat === 'pending' && isEmail) return false;
        const route = await noticeRoute(trx, options.config, conversation);
        if (!route) return false;
        const { to, inbox } = route;
        if (cat === 'resolved' && inbox.csatByEmail && !conversation.csat) return false;
        // Only the latest change is worth a mail: an earlier one still waiting is dropped.
        await trx
          .updateTable('email_messages')
          .set({ status: 'skipped', status_reason: 'a later status change' })
          .where('conversation_id', '=', conversation.id)
          .where('kind', '=', 'status')
          .where('status', '=', 'queued')
          .execute();
        await queueThreadedNotice(trx, options.tokens, {
          kind: 'status',
          notice: cat,
          inbox,
          conversation,
          to,
          compose: (title) => statusMail({ notice: cat, title, portalUrl: portalUrlOf(options.publicBaseUrl, conversation.id) }),
          delaySeconds: options.config.EMAIL_AWAY_DELAY_SECONDS,
        });
        return true;
      },
    },
    options.onQueued,
  );
}

/**
 * "We're back online" by mail to a customer who wrote while the team was closed and is not in the chat
 * when it opens (the sender checks at sending time), in the conversation's thread, honouring the same
 * preference as status mails. Email conversations are left alone: an agent's answer is what they wait for.
 */
export function queueBackOnlineMails(options: NoticeOptions): EventListener {
  return wakeWhenQueued(
    {
      name: 'email-back-online-mails',
      events: ['message.created'],
      async inTransaction(event, trx): Promise<boolean> {
        const { message, conversation } = (event as DomainEvent<'message.created'>).data;
        if (message.authorKind !== 'system' || !message.clientId?.startsWith(BACK_ONLINE_CLIENT_ID)) return false;
        if (conversation.channel === 'email') return false;
        const route = await noticeRoute(trx, options.config, conversation);
        if (!route) return false;
        await queueThreadedNotice(trx, options.tokens, {
          kind: 'back_online',
          notice: null,
          ...route,
          conversation,
          compose: () => noticeMail([message.bodyText], portalUrlOf(options.publicBaseUrl, conversation.id)),
          delaySeconds: 0,
        });
        return true;
      },
    },
    options.onQueued,
  );
}
