import {
  AppError,
  type Conversation,
  type ConversationUpdate,
  type MacroAction,
  type MacroApplyResult,
  type Message,
} from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { presentConversation } from '../conversations/present-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { appendMessage } from '../messages/append-message';
import { htmlToPlainText } from '../text/sanitize';
import type { UploadLocation } from '../widget/uploads';
import { copyMacroFiles } from './macro-attachments';
import { checkMacroActions, getMacro } from './macros';
import { renderTemplate, type TemplateContext } from './render-template';

/** Folds a macro's actions into one conversation update (later actions win over earlier ones). */
export function macroToUpdate(actions: MacroAction[], actor: Actor): ConversationUpdate | null {
  const u: ConversationUpdate = {};
  const add = new Set<string>();
  const remove = new Set<string>();
  for (const a of actions) {
    switch (a.type) {
      case 'set_status':
        u.statusId = a.statusId;
        break;
      case 'set_priority':
        u.priority = a.priority;
        break;
      case 'add_tags':
        for (const t of a.tags) {
          add.add(t);
          remove.delete(t);
        }
        break;
      case 'remove_tags':
        for (const t of a.tags) {
          remove.add(t);
          add.delete(t);
        }
        break;
      case 'assign':
        if (a.assigneeId === 'me') {
          if (actor.kind !== 'user') {
            throw new AppError('validation_failed', "assigneeId: 'me' needs a signed-in person", [
              { path: 'assigneeId', message: "'me' needs a signed-in person" },
            ]);
          }
          u.assigneeId = actor.id;
        } else u.assigneeId = a.assigneeId;
        break;
      case 'set_team':
        u.teamId = a.teamId;
        break;
      case 'set_custom_field':
        u.customFields = { ...u.customFields, [a.key]: a.value };
        break;
    }
  }
  if (add.size) u.addTags = [...add];
  if (remove.size) u.removeTags = [...remove];
  return Object.keys(u).length ? u : null;
}

export type ApplyMacroProps = { actor: Actor; conversationId: string; macroId: string; uploadsDir?: UploadLocation };

/**
 * Applies a macro to a conversation, in one transaction: every field change goes through the conversation
 * update command (validation, status history, audit, events), the note part is posted as an internal
 * note, and the use is counted. Returns the public reply, filled in, for the reply box (the agent sends
 * it), the names of variables that had no value, and the conversation as it now is.
 */
export async function applyMacro(
  db: Db,
  { actor, conversationId, macroId, uploadsDir }: ApplyMacroProps,
): Promise<MacroApplyResult> {
  const macro = await getMacro(db, { actor, id: macroId });
  const result = await db.transaction().execute(async (trx) => {
    await checkMacroActions(trx, { actions: macro.actions });
    const update = macroToUpdate(macro.actions, actor);
    let conversation: Conversation;
    if (update) conversation = await applyConversationUpdate(trx, { actor, id: conversationId, update });
    else {
      const row = await trx.selectFrom('conversations').select('inbox_id').where('id', '=', conversationId).executeTakeFirst();
      if (!row) throw new AppError('not_found', `conversation ${conversationId} not found`);
      await assertCanSeeInbox(trx, { actor, inboxId: row.inbox_id });
      const c = await presentConversation(trx, conversationId);
      if (!c) throw new AppError('not_found', `conversation ${conversationId} not found`);
      conversation = c;
    }
    const ctx = await templateContext(trx, actor, conversation);
    const reply = renderTemplate(macro.bodyHtml, ctx);
    const note = renderTemplate(macro.noteHtml, ctx);
    let noteMessage: Message | null = null;
    if (htmlToPlainText(note.html)) {
      const appended = await appendMessage(trx, {
        conversationId,
        authorKind: 'agent',
        authorId: actor.kind === 'user' ? actor.id : null,
        private: true,
        body: note.html,
      });
      noteMessage = appended.message;
      conversation = appended.conversation ?? conversation;
    }
    await trx
      .insertInto('macro_uses')
      .values({
        macro_id: macro.id,
        macro_name: macro.name,
        user_id: actor.kind === 'user' ? actor.id : null,
        conversation_id: conversationId,
      })
      .execute();
    return {
      bodyHtml: reply.html,
      note: noteMessage,
      missing: [...new Set([...reply.missing, ...note.missing])],
      conversation,
    };
  });
  // Copied after the checks passed, so a refused macro leaves no stray files.
  const attachments =
    uploadsDir && macro.attachments.length ? await copyMacroFiles({ uploadsDir, actor, files: macro.attachments }) : [];
  return { ...result, attachments };
}

async function templateContext(trx: Db, actor: Actor, conversation: Conversation): Promise<TemplateContext> {
  const contact = await trx
    .selectFrom('contacts')
    .select(['name', 'email', 'phone', 'attributes'])
    .where('id', '=', conversation.contactId)
    .executeTakeFirst();
  const agent =
    actor.kind === 'user'
      ? await trx.selectFrom('users').select(['name', 'email']).where('id', '=', actor.id).executeTakeFirst()
      : undefined;
  return {
    contact: contact ? { ...contact, attributes: contact.attributes ?? {} } : null,
    conversation: { number: conversation.number, subject: conversation.subject, customFields: conversation.customFields },
    agent: agent ?? null,
  };
}
