import { randomUUID } from 'node:crypto';
import { AppError, type Message, type MessengerTag } from '@autocrm/shared';
import type { z } from 'zod';
import { assertCanSeeConversation } from '../../domain/access/gate';
import type { Actor } from '../../domain/actor';
import { appendMessage, inSendTransaction } from '../../domain/messages/append-message';
import type { Db } from '../../storage/db';
import { messengerRecipient, messengerWindow } from './messaging-window';
import { queuedRows, TAGGED_CLIENT_PREFIX } from './queue-messenger';

/**
 * A reply sent with a message tag, which Messenger delivers outside the 24-hour window (HUMAN_AGENT
 * within 7 days of the customer's last message): stored as the agent's message in the room and queued
 * with its tag in the same transaction.
 */
export async function sendMessengerTagged(
  db: Db,
  props: { actor: Actor; conversationId: string; body: string; tag: z.infer<typeof MessengerTag> },
): Promise<Message> {
  const { actor, conversationId } = props;
  if (actor.kind !== 'user') throw new AppError('forbidden', 'tagged messages are sent by a person signed in to the workspace');
  const { inboxId } = await assertCanSeeConversation(db, { actor, conversationId });
  const conv = await db.selectFrom('inboxes').select('channel').where('id', '=', inboxId).executeTakeFirst();
  if (conv?.channel !== 'messenger') throw new AppError('validation_failed', 'this conversation is not in a Messenger inbox');
  const window = await messengerWindow(db, conversationId);
  if (!window.tags.includes(props.tag))
    throw new AppError('validation_failed', 'HUMAN_AGENT may answer only within 7 days of the customer’s last message', [
      { path: 'tag', message: 'not allowed any more' },
    ]);
  const address = await messengerRecipient(db, conversationId);
  if (!address) throw new AppError('validation_failed', 'the customer has no Messenger id in this conversation');
  return inSendTransaction(db, async (trx) => {
    const { message } = await appendMessage(trx, {
      conversationId,
      authorKind: 'agent',
      authorId: actor.id,
      body: props.body,
      clientId: `${TAGGED_CLIENT_PREFIX}${randomUUID()}`,
    });
    const base = {
      inbox_id: inboxId,
      conversation_id: conversationId,
      message_id: message.id,
      provider: 'messenger',
      direction: 'out' as const,
      from_address: address.to,
      to_address: address.from,
    };
    await trx
      .insertInto('channel_messages')
      .values(queuedRows(base, message, { tag: props.tag }))
      .execute();
    return message;
  });
}
