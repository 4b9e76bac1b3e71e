import type { DomainEvent } from '@autocrm/shared';
import { reachableAddresses } from '../../domain/conversations/reply-channels';
import type { EventListener } from '../../events/listener';
import { messagingText } from '../messaging/plain-text';
import { isOptedOut } from './opt-outs';
import { segmentCount, splitForSms } from './segments';

/**
 * An agent's (or the bot's) public message in an SMS conversation becomes queued texts, in the relay's
 * transaction, so each is queued exactly once. A reply longer than one message Twilio can concatenate
 * is split at word boundaries; files go with the first part as MMS media. A customer who texted STOP
 * gets nothing: the message is recorded as skipped, with the reason shown to the agent.
 */
export function queueSmsReplies(options: { onQueued: () => void; publicBaseUrl?: () => string }): EventListener {
  return {
    name: 'sms-outbound',
    events: ['message.created'],
    async inTransaction(event, trx) {
      if (event.type !== 'message.created') return;
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (conversation.channel !== 'sms') return;
      if (message.private || message.deletedAt || (message.authorKind !== 'agent' && message.authorKind !== 'bot')) return;
      if (message.clientId?.startsWith('seed:')) return;
      const contact = await trx
        .selectFrom('contacts')
        .select('phone')
        .where('id', '=', conversation.contactId)
        .executeTakeFirst();
      const lastIn = await trx
        .selectFrom('channel_messages')
        .select(['from_address', 'to_address'])
        .where('conversation_id', '=', conversation.id)
        .where('direction', '=', 'in')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      // Answer the number the customer last wrote from; else the contact's number, else a phone identity.
      const to =
        lastIn?.from_address ??
        contact?.phone ??
        (
          await reachableAddresses(trx, { contactId: conversation.contactId, inboxId: conversation.inboxId, channel: 'sms' })
        )[0] ??
        null;
      const base = {
        inbox_id: conversation.inboxId,
        conversation_id: conversation.id,
        message_id: message.id,
        provider: 'twilio',
        direction: 'out' as const,
        from_address: lastIn?.to_address ?? '',
        to_address: to ?? '',
      };
      if (!to) {
        await trx
          .insertInto('channel_messages')
          .values({ ...base, status: 'failed', status_reason: 'the customer has no phone number' })
          .execute();
        return;
      }
      if (await isOptedOut(trx, { inboxId: conversation.inboxId, address: to })) {
        await trx
          .insertInto('channel_messages')
          .values({
            ...base,
            status: 'skipped',
            status_reason: 'the customer texted STOP; they must text START to get messages again',
          })
          .execute();
        return;
      }
      const text = messagingText(message, options.publicBaseUrl?.());
      const parts = splitForSms(text);
      const media = message.attachments.map((a) => ({ url: a.url, contentType: a.contentType }));
      const now = new Date();
      await trx
        .insertInto('channel_messages')
        .values(
          parts.map((body, i) => ({
            ...base,
            body,
            media: JSON.stringify(i === 0 ? media : []),
            segments: segmentCount(body),
            status: 'queued' as const,
            // Parts keep their order: each is due a millisecond after the one before.
            next_attempt_at: new Date(now.getTime() + i),
          })),
        )
        .execute();
    },
    afterCommit(event) {
      // Only SMS rooms' messages: a poke costs the sender a query.
      if (event.type === 'message.created' && (event as DomainEvent<'message.created'>).data.conversation.channel === 'sms')
        options.onQueued();
    },
  };
}
