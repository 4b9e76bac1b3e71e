import { AppError, type MessageCreate } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { type AppendResult, appendMessage, inSendTransaction } from './append-message';

export interface PostMessageProps {
  actor: Actor;
  conversationId: string;
  input: MessageCreate;
}

/** A message or internal note posted through the API or the workspace. */
export async function postMessage(db: Db, props: PostMessageProps): Promise<AppendResult> {
  const { actor, input } = props;
  return inSendTransaction(db, async (trx) => {
    const conv = await trx
      .selectFrom('conversations')
      .select(['id', 'inbox_id', 'contact_id'])
      .where('id', '=', props.conversationId)
      .executeTakeFirst();
    if (!conv) throw new AppError('not_found', 'conversation not found');
    await assertCanSeeInbox(trx, { actor, inboxId: conv.inbox_id });
    const fromContact = input.from === 'contact';
    return appendMessage(trx, {
      conversationId: conv.id,
      authorKind: fromContact ? 'contact' : 'agent',
      authorId: fromContact ? conv.contact_id : actor.kind === 'user' ? actor.id : null,
      body: input.body,
      private: input.private,
      clientId: input.clientId,
      attachments: input.attachments,
    });
  });
}
