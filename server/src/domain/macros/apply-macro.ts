import { AppError, type Conversation, type ConversationUpdate, type MacroAction } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { presentConversation } from '../conversations/present-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { checkMacroActions, getMacro } from './macros';

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

/**
 * Applies a macro to a conversation: every field change goes through the conversation update command in
 * one transaction (validation, status history, audit, events), so either all of it happens or none.
 * Returns the body for the reply box and the conversation as it now is.
 */
export async function applyMacro(
  db: Db,
  actor: Actor,
  conversationId: string,
  macroId: string,
): Promise<{ bodyHtml: string; conversation: Conversation }> {
  const macro = await getMacro(db, actor, macroId);
  return db.transaction().execute(async (trx) => {
    await checkMacroActions(trx, macro.actions);
    const update = macroToUpdate(macro.actions, actor);
    let conversation: Conversation;
    if (update) conversation = await applyConversationUpdate(trx, actor, conversationId, update);
    else {
      const row = await trx.selectFrom('conversations').select('inbox_id').where('id', '=', conversationId).executeTakeFirst();
      if (!row) throw new AppError('not_found', `conversation ${conversationId} not found`);
      await assertCanSeeInbox(trx, actor, row.inbox_id);
      const c = await presentConversation(trx, conversationId);
      if (!c) throw new AppError('not_found', `conversation ${conversationId} not found`);
      conversation = c;
    }
    return { bodyHtml: macro.bodyHtml, conversation };
  });
}
