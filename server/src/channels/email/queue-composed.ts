import type { Conversation, DomainEvent } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import type { Config } from '../../config';
import type { EventListener } from '../../events/listener';
import { wakeWhenQueued } from '../../events/wake-when-queued';
import type { Db } from '../../storage/db';
import type { CsatTokens } from './csat-token';
import { deliveryAddress, domainOf, type EmailInbox, listEmailInboxes } from './inbox-addresses';
import type { ThreadTokens } from './thread-token';
import { composeTranscript } from './transcript';

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif';
export const CSAT_LABELS = ['Very poor', 'Poor', 'Okay', 'Good', 'Great'] as const;

/** The inbox mail about a conversation goes out from: its own for email, else the first email inbox. */
export function sendingInbox(inboxes: EmailInbox[], conv: { channel: string; inboxId: string }) {
  return conv.channel === 'email' ? inboxes.find((i) => i.id === conv.inboxId) : inboxes[0];
}

async function queueComposed(
  trx: Db,
  tokens: ThreadTokens,
  props: {
    kind: 'transcript' | 'csat';
    inbox: EmailInbox;
    conversationId: string;
    to: { address: string; name: string | null };
    subject: string;
    html: string;
    text: string;
    delaySeconds: number;
  },
) {
  await trx
    .insertInto('email_messages')
    .values({
      kind: props.kind,
      inbox_id: props.inbox.id,
      conversation_id: props.conversationId,
      direction: 'out',
      rfc_message_id: tokens.messageId(props.conversationId, domainOf(props.inbox.address)),
      from_address: props.inbox.address,
      from_name: props.inbox.name.includes('@') ? 'Support' : props.inbox.name,
      to_addresses: JSON.stringify([props.to]),
      cc_addresses: '[]',
      refs: '[]',
      subject: props.subject,
      full_html: props.html,
      full_text: props.text,
      status: 'queued',
      next_attempt_at: new Date(Date.now() + props.delaySeconds * 1000),
    })
    .execute();
}

/** The customer's name and the address we mail them at, if we have one. */
export async function contactOf(trx: Db, contactId: string) {
  const c = await trx
    .selectFrom('contacts')
    .select(['email', 'name', 'attributes'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  const address = c ? deliveryAddress(c) : undefined;
  return c && address ? { address, name: c.name } : undefined;
}

export type TranscriptOutcome = 'queued' | 'no_address' | 'no_server' | 'too_soon';

/**
 * A transcript of the conversation to the customer's address (never an address the requester names:
 * that would let anyone mail anything anywhere). One per conversation per minute.
 */
export async function queueTranscript(
  db: Db,
  props: { config: Config; tokens: ThreadTokens; conversation: Pick<Conversation, 'id' | 'channel' | 'inboxId' | 'contactId'> },
): Promise<TranscriptOutcome> {
  return db.transaction().execute(async (trx) => {
    const to = await contactOf(trx, props.conversation.contactId);
    if (!to) return 'no_address';
    const inbox = sendingInbox(await listEmailInboxes(trx), props.conversation);
    if (!inbox || !(inbox.smtp ?? props.config.SMTP_URL)) return 'no_server';
    const recent = await trx
      .selectFrom('email_messages')
      .select('id')
      .where('conversation_id', '=', props.conversation.id)
      .where('kind', '=', 'transcript')
      .where('created_at', '>', new Date(Date.now() - 60_000))
      .executeTakeFirst();
    if (recent) return 'too_soon';
    const t = await composeTranscript(trx, props.conversation.id);
    if (!t) return 'no_address';
    await queueComposed(trx, props.tokens, {
      kind: 'transcript',
      inbox,
      conversationId: props.conversation.id,
      to,
      ...t,
      delaySeconds: 0,
    });
    return 'queued';
  });
}

function csatMail(links: string[], title: string) {
  const html = [
    `<div style="${FONT};font-size:15px;line-height:1.55;color:#1f2430;max-width:560px">`,
    `<p>Your conversation “${escapeUTF8(title)}” was resolved. How did we do?</p>`,
    '<table role="presentation" cellspacing="0" cellpadding="0" style="margin:16px 0"><tr>',
    ...links.map(
      (href, i) =>
        `<td style="padding:0 6px 0 0"><a href="${escapeUTF8(href)}" style="display:inline-block;padding:10px 14px;border-radius:8px;background:#eef2ff;color:#3730a3;text-decoration:none;font-weight:600">${i + 1} · ${CSAT_LABELS[i]}</a></td>`,
    ),
    '</tr></table>',
    '<p style="color:#5b6472;font-size:13px">One click records your answer; you can add a comment on the page that opens.</p>',
    '</div>',
  ].join('');
  const text = [
    `Your conversation "${title}" was resolved. How did we do? Open one link to answer:`,
    '',
    ...links.map((href, i) => `${i + 1} (${CSAT_LABELS[i]}): ${href}`),
  ].join('\n');
  return { subject: `How did we do? ${title}`.slice(0, 998), html, text };
}

/**
 * On resolve: a transcript for chat customers (when the inbox says so) and the CSAT survey by mail
 * with one-click ratings (when the inbox says so) for email conversations, and for chats once the
 * customer has been away for EMAIL_AWAY_DELAY_SECONDS (the sender skips it if they rated or saw
 * the end in the widget by then). Queued in the relay's transaction, so once per resolve.
 */
export function mailOnResolve(options: {
  config: Config;
  tokens: ThreadTokens;
  csatTokens: CsatTokens;
  publicBaseUrl: () => string;
  onQueued: () => void;
}): EventListener {
  return wakeWhenQueued(
    {
      name: 'email-on-resolve',
      events: ['conversation.status_changed'],
      async inTransaction(event, trx): Promise<boolean> {
        const { conversation } = (event as DomainEvent<'conversation.status_changed'>).data;
        if (conversation.status.category !== 'resolved') return false;
        const to = await contactOf(trx, conversation.contactId);
        if (!to) return false;
        const inbox = sendingInbox(await listEmailInboxes(trx), conversation);
        if (!inbox || !(inbox.smtp ?? options.config.SMTP_URL)) return false;
        const isEmail = conversation.channel === 'email';
        let queued = false;
        if (!isEmail && inbox.transcriptOnResolve) {
          const t = await composeTranscript(trx, conversation.id);
          if (t) {
            await queueComposed(trx, options.tokens, {
              kind: 'transcript',
              inbox,
              conversationId: conversation.id,
              to,
              ...t,
              delaySeconds: 0,
            });
            queued = true;
          }
        }
        if (inbox.csatByEmail && !conversation.csat) {
          const already = await trx
            .selectFrom('email_messages')
            .select('id')
            .where('conversation_id', '=', conversation.id)
            .where('kind', '=', 'csat')
            .executeTakeFirst();
          if (already) return queued;
          const token = options.csatTokens.token(conversation.id);
          const links = [1, 2, 3, 4, 5].map((n) => `${options.publicBaseUrl()}/api/v1/email/csat/${token}?rating=${n}`);
          await queueComposed(trx, options.tokens, {
            kind: 'csat',
            inbox,
            conversationId: conversation.id,
            to,
            ...csatMail(links, conversation.subject ?? 'Your conversation'),
            delaySeconds: isEmail ? 0 : options.config.EMAIL_AWAY_DELAY_SECONDS,
          });
          queued = true;
        }
        return queued;
      },
    },
    options.onQueued,
  );
}
