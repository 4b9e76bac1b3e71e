import type { DomainEvent } from '@autocrm/shared';
import type { Config } from '../../config';
import type { EventListener } from '../../events/listener';
import { wakeWhenQueued } from '../../events/wake-when-queued';
import type { Db } from '../../storage/db';
import { deliveryAddress, listEmailInboxes } from './inbox-addresses';
import type { ThreadTokens } from './thread-token';

export interface QueueReplyOptions {
  config: Config;
  tokens: ThreadTokens;
  /** Called after commit when a mail was queued (wakes the sender). */
  onQueued: () => void;
}

/**
 * An agent's public reply in an email conversation becomes a queued mail, in the relay's transaction,
 * so it is queued exactly once per message. A widget customer we have an address for gets the reply
 * by email too when they have not read it after EMAIL_AWAY_DELAY_SECONDS (the sender checks).
 */
export function queueEmailReplies(options: QueueReplyOptions): EventListener {
  return wakeWhenQueued(
    {
      name: 'email-outbound',
      events: ['message.created'],
      async inTransaction(event, trx): Promise<boolean> {
        if (event.type !== 'message.created') return false;
        const { message, conversation } = (event as DomainEvent<'message.created'>).data;
        if (message.private || message.authorKind !== 'agent' || message.deletedAt) return false;
        // The demo workspace's sample replies (db/seed-demo.ts) are never mailed to its made-up customers.
        if (message.clientId?.startsWith('seed:')) return false;
        const contact = await trx
          .selectFrom('contacts')
          .select(['email', 'name', 'attributes'])
          .where('id', '=', conversation.contactId)
          .executeTakeFirst();
        const address = contact ? deliveryAddress(contact) : undefined;
        if (!contact || !address) return false;
        const inboxes = await listEmailInboxes(trx);
        const byEmail = conversation.channel === 'email';
        const inbox = byEmail ? inboxes.find((i) => i.id === conversation.inboxId) : inboxes[0];
        if (!inbox) return false;
        const hasServer = Boolean(inbox.smtp ?? options.config.SMTP_URL);
        // Without an outgoing server a widget customer simply keeps the chat; an email customer would
        // never see the reply, so the agent is shown that it failed.
        if (!hasServer && !byEmail) return false;
        await queueMail(trx, options.tokens, {
          inboxId: inbox.id,
          inboxAddress: inbox.address,
          conversationId: conversation.id,
          messageId: message.id,
          subject: conversation.subject,
          to: { address, name: contact.name },
          delaySeconds: byEmail ? 0 : options.config.EMAIL_AWAY_DELAY_SECONDS,
          failure: hasServer ? undefined : 'no outgoing mail server is configured (SMTP_URL)',
        });
        return true;
      },
    },
    options.onQueued,
  );
}

async function queueMail(
  trx: Db,
  tokens: ThreadTokens,
  props: {
    inboxId: string;
    inboxAddress: string;
    conversationId: string;
    messageId: string;
    subject: string | null;
    to: { address: string; name: string | null };
    delaySeconds: number;
    failure: string | undefined;
  },
) {
  const { lastIn, refs: unique, cc } = await threadHeaders(trx, props.conversationId);
  const base = props.subject ?? lastIn?.subject ?? 'Your conversation';
  const subject = /^re:/i.test(base) ? base : `Re: ${base}`;
  const domain = props.inboxAddress.slice(props.inboxAddress.lastIndexOf('@') + 1);
  await trx
    .insertInto('email_messages')
    .values({
      inbox_id: props.inboxId,
      conversation_id: props.conversationId,
      message_id: props.messageId,
      direction: 'out',
      rfc_message_id: tokens.messageId(props.conversationId, domain),
      in_reply_to: lastIn?.rfc_message_id ?? null,
      refs: JSON.stringify(unique),
      from_address: props.inboxAddress,
      to_addresses: JSON.stringify([props.to]),
      cc_addresses: JSON.stringify(cc),
      subject: subject.slice(0, 998),
      status: props.failure ? 'failed' : 'queued',
      status_reason: props.failure ?? null,
      next_attempt_at: new Date(Date.now() + props.delaySeconds * 1000),
    })
    .onConflict((oc) => oc.column('message_id').where('direction', '=', 'out').doNothing())
    .execute();
}

/**
 * Threading headers for a mail about a conversation: in reply to the customer's latest mail, with the
 * chain it carried plus our own latest, so mail clients keep one thread and an answer lands in the room.
 */
export async function threadHeaders(trx: Db, conversationId: string) {
  const lastIn = await trx
    .selectFrom('email_messages')
    .select(['rfc_message_id', 'refs', 'subject'])
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'in')
    .where('status', '=', 'received')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const ourLast = await trx
    .selectFrom('email_messages')
    .select('rfc_message_id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'out')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const refs = [
    ...(lastIn?.refs ?? []),
    ...(lastIn ? [lastIn.rfc_message_id] : []),
    ...(ourLast ? [ourLast.rfc_message_id] : []),
  ];
  const thread = await trx
    .selectFrom('email_threads')
    .select('cc')
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return {
    lastIn,
    /** The customer's latest mail, else our own latest about the conversation. */
    inReplyTo: lastIn?.rfc_message_id ?? ourLast?.rfc_message_id ?? null,
    refs: [...new Set(refs)].slice(-20),
    cc: thread?.cc ?? [],
  };
}
