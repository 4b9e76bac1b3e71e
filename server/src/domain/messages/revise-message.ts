import { AppError } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { presentConversation } from '../conversations/present-conversation';
import { htmlToPlainText, plainTextToHtml, sanitizeRichText } from '../text/sanitize';
import { presentMessage } from './present-message';

export interface ReviseMessageProps {
  conversationId: string;
  messageId: string;
  /** Who may revise: the agent who wrote it (or a supervisor/admin), or the contact who wrote it. */
  editor: { kind: 'agent'; actor: Actor } | { kind: 'contact'; contactId: string };
  change: { kind: 'edit'; body: string } | { kind: 'delete' };
}

/**
 * Edits or deletes a message. The revision takes the room's next seq (like a new message would), so a
 * client that reconnects after it catches up on it the same way it catches up on messages.
 */
export async function reviseMessage(db: Db, props: ReviseMessageProps) {
  return db.transaction().execute(async (trx) => {
    const conv = await trx
      .selectFrom('conversations')
      .select(['id', 'inbox_id', 'last_seq'])
      .where('id', '=', props.conversationId)
      .forUpdate()
      .executeTakeFirst();
    if (!conv) throw new AppError('not_found', 'conversation not found');
    if (props.editor.kind === 'agent') await assertCanSeeInbox(trx, { actor: props.editor.actor, inboxId: conv.inbox_id });
    const msg = await trx
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', props.messageId)
      .where('conversation_id', '=', conv.id)
      .executeTakeFirst();
    if (!msg || msg.deleted_at) throw new AppError('not_found', 'message not found');

    const editor = props.editor;
    const own =
      editor.kind === 'contact'
        ? msg.author_kind === 'contact' && msg.author_id === editor.contactId
        : msg.author_kind === 'agent' &&
          (editor.actor.kind !== 'user' || msg.author_id === editor.actor.id || editor.actor.role !== 'agent');
    if (!own) throw new AppError('forbidden', 'you can only change your own messages');

    const seq = conv.last_seq + 1;
    const now = new Date();
    await trx.updateTable('conversations').set({ last_seq: seq, updated_at: now }).where('id', '=', conv.id).execute();
    let patch: { body_html?: string; body_text?: string; edited_at?: Date; deleted_at?: Date };
    if (props.change.kind === 'edit') {
      const bodyHtml =
        msg.author_kind === 'contact'
          ? plainTextToHtml(props.change.body)
          : sanitizeRichText(props.change.body, { message: true });
      const bodyText = htmlToPlainText(bodyHtml);
      if (!bodyText)
        throw new AppError('validation_failed', 'body: is empty after sanitizing', [{ path: 'body', message: 'is empty' }]);
      patch = { body_html: bodyHtml, body_text: bodyText, edited_at: now };
    } else {
      patch = { deleted_at: now };
    }
    const row = await trx
      .updateTable('messages')
      .set({ ...patch, revision_seq: seq })
      .where('id', '=', msg.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const message = presentMessage(row);
    const conversation = await presentConversation(trx, conv.id);
    if (conversation) {
      await emit(trx, 'message.updated', {
        message,
        conversation,
        revisionSeq: seq,
        change: props.change.kind === 'edit' ? 'edited' : 'deleted',
      });
    }
    if (editor.kind === 'agent') {
      await recordAudit(trx, {
        actor: editor.actor,
        action: props.change.kind === 'edit' ? 'message.edited' : 'message.deleted',
        entityType: 'message',
        entityId: msg.id,
        before: presentMessage(msg),
        after: message,
      });
    }
    return { message, seq };
  });
}
