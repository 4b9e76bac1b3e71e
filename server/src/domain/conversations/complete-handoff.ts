import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { takeRoom } from '../messages/take-room';
import { presentConversation } from './present-conversation';

/** Why the bot gave a room to a person; stable codes (webhooks, reports, the workspace badge). */
export type HandoffReason =
  | 'customer_request'
  | 'no_answer'
  | 'unhelpful'
  | 'llm_failed'
  | 'agent_typing'
  | 'agent_replied'
  | 'agent_took_over';

export interface HandoffProps {
  conversationId: string;
  reason: HandoffReason;
  actorId?: string | null;
  language?: string | null;
}

/**
 * Flips the room from the bot to a person (once, however many reasons race) and records it. Kept apart
 * from the customer's notice so that the message command can call it without importing itself back.
 */
export function takeRoomFromBot(trx: Db, props: HandoffProps): Promise<boolean> {
  return takeRoom(trx, {
    conversationId: props.conversationId,
    to: 'human',
    reason: props.reason,
    actorId: props.actorId ?? null,
  });
}

/**
 * What follows a hand-off that took place: the agent who stepped in keeps the room (routing then
 * classifies it but does not reassign it), and `conversation.handoff` sends it to routing.
 */
export async function completeHandoff(trx: Db, props: HandoffProps): Promise<void> {
  let assigned = false;
  if (props.actorId && props.reason.startsWith('agent_')) {
    const r = await trx
      .updateTable('conversations')
      .set({ assignee_id: props.actorId })
      .where('id', '=', props.conversationId)
      .where('assignee_id', 'is', null)
      .executeTakeFirst();
    assigned = Number(r.numUpdatedRows) > 0;
  }
  const conversation = await presentConversation(trx, props.conversationId);
  if (!conversation) throw new Error(`conversation ${props.conversationId} vanished during hand-off`);
  await emit(trx, 'conversation.updated', { conversation, changed: assigned ? ['owner', 'assigneeId'] : ['owner'] });
  if (assigned)
    await emit(trx, 'conversation.assigned', { conversation, fromAssigneeId: null, toAssigneeId: props.actorId ?? null });
  await emit(trx, 'conversation.handoff', { conversation, reason: props.reason, language: props.language ?? null });
}

/** An agent stepped in (typing, replying, taking over): no announcement, they answer next. */
export async function handOffToAgent(trx: Db, props: HandoffProps): Promise<boolean> {
  if (!(await takeRoomFromBot(trx, props))) return false;
  await completeHandoff(trx, props);
  return true;
}
