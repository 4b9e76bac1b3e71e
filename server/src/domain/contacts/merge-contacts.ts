import { AppError, type Contact } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeContact } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { presentContact } from './contacts';
import { moveIdentities, rememberColumnIdentities } from './identities';

export interface ContactMergeResult {
  contact: Contact;
  movedConversations: number;
  /** Identity values of the duplicate that the survivor already had a different value for. */
  keptAside: Record<string, string>;
}

const IDENTITY = [
  ['name', 'name', 'otherNames'],
  ['email', 'email', 'otherEmails'],
  ['phone', 'phone', 'otherPhones'],
  ['external_id', 'externalId', 'otherExternalIds'],
] as const;

/**
 * Merges a duplicate contact into a survivor, all or nothing, and deletes the duplicate (final: the
 * audit log keeps what it was). Conflicts are resolved one way: the survivor's values win; an empty
 * field of the survivor takes the duplicate's; a duplicate's different email, phone, name or external
 * id is kept in the survivor's attributes (`otherEmails` ...) so nothing is lost and nobody is guessed
 * at; attributes combine with the survivor's winning per key. Conversations, widget visitors, identities and
 * verified widget identities move, so the customer's history is one timeline.
 */
export async function mergeContacts(
  db: Db,
  props: { actor: Actor; survivorId: string; duplicateId: string },
): Promise<ContactMergeResult> {
  const { actor, survivorId, duplicateId } = props;
  if (survivorId === duplicateId) {
    throw new AppError('validation_failed', 'duplicateId: a contact cannot be merged into itself', [
      { path: 'duplicateId', message: 'is the same contact' },
    ]);
  }
  const result = await db.transaction().execute(async (trx) => {
    await assertCanSeeContact(trx, { actor, contactId: survivorId });
    await assertCanSeeContact(trx, { actor, contactId: duplicateId });
    const rows = await trx
      .selectFrom('contacts')
      .selectAll()
      .where('id', 'in', [survivorId, duplicateId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const survivor = rows.find((r) => r.id === survivorId);
    const duplicate = rows.find((r) => r.id === duplicateId);
    if (!survivor || !duplicate) throw new AppError('not_found', 'contact not found');

    const set: Record<string, string | null> = {};
    const attributes: Record<string, unknown> = { ...duplicate.attributes, ...survivor.attributes };
    const keptAside: Record<string, string> = {};
    for (const [column, , aside] of IDENTITY) {
      const mine = survivor[column];
      const theirs = duplicate[column];
      if (!theirs) continue;
      if (!mine) set[column] = theirs;
      else if (mine.toLowerCase() !== theirs.toLowerCase()) {
        const listed = typeof attributes[aside] === 'string' ? String(attributes[aside]).split(', ') : [];
        if (!listed.includes(theirs)) attributes[aside] = [...listed, theirs].join(', ');
        keptAside[aside] = String(attributes[aside]);
      }
    }

    const conversations = await trx
      .updateTable('conversations')
      .set({ contact_id: survivorId })
      .where('contact_id', '=', duplicateId)
      .executeTakeFirst();
    const visitors = await trx
      .updateTable('visitors')
      .set({ contact_id: survivorId })
      .where('contact_id', '=', duplicateId)
      .returning('id')
      .execute();
    await trx.updateTable('widget_identities').set({ contact_id: survivorId }).where('contact_id', '=', duplicateId).execute();
    await trx
      .updateTable('messages')
      .set({ author_id: survivorId })
      .where('author_kind', '=', 'contact')
      .where('author_id', '=', duplicateId)
      .execute();
    // A read cursor per reader and room: the survivor's own cursor in a room wins over the duplicate's.
    await trx
      .deleteFrom('read_cursors')
      .where('participant_kind', '=', 'contact')
      .where('participant_id', '=', duplicateId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('read_cursors as rc')
            .select('rc.conversation_id')
            .whereRef('rc.conversation_id', '=', 'read_cursors.conversation_id')
            .where('rc.participant_kind', '=', 'contact')
            .where('rc.participant_id', '=', survivorId),
        ),
      )
      .execute();
    await trx
      .updateTable('read_cursors')
      .set({ participant_id: survivorId })
      .where('participant_kind', '=', 'contact')
      .where('participant_id', '=', duplicateId)
      .execute();

    // Every address of the duplicate reaches the survivor from now on.
    await moveIdentities(trx, { fromContactId: duplicateId, toContactId: survivorId });
    // Notes about the person are about the survivor now (the duplicate's row goes, and its notes would with it).
    await trx.updateTable('contact_notes').set({ contact_id: survivorId }).where('contact_id', '=', duplicateId).execute();
    // The unique email / external id move only once the duplicate no longer holds them.
    await trx.deleteFrom('contacts').where('id', '=', duplicateId).execute();
    const row = await trx
      .updateTable('contacts')
      .set({ ...set, attributes: JSON.stringify(attributes), updated_at: new Date() })
      .where('id', '=', survivorId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const contact = presentContact(row);
    await rememberColumnIdentities(trx, contact);
    const movedConversations = Number(conversations.numUpdatedRows);
    await recordAudit(trx, {
      actor,
      action: 'contact.merged',
      entityType: 'contact',
      entityId: survivorId,
      before: { survivor: presentContact(survivor), duplicate: presentContact(duplicate) },
      after: { contact, movedConversations, keptAside },
    });
    await emit(trx, 'contact.merged', {
      contact,
      mergedContactId: duplicateId,
      movedConversations,
      movedVisitorIds: visitors.map((v) => v.id),
    });
    await emit(trx, 'contact.updated', { contact, changed: ['merged', ...Object.keys(set)] });
    return { contact, movedConversations, keptAside };
  });
  return result;
}
