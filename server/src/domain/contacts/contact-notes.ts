import { AppError, type ContactNote } from '@autocrm/shared';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import { assertCanSeeContact } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

// Internal notes about a contact: what the team should know about the person across conversations
// ("prefers phone calls", "VIP since 2021"). Only agents see them. Each is audited; erasure deletes them
// with the contact; a merge moves them to the survivor.

type Note = z.infer<typeof ContactNote>;

function noteQuery(db: Db) {
  return db
    .selectFrom('contact_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.contact_id', 'n.body', 'n.created_at', 'u.id as author_id', 'u.name', 'u.display_name']);
}

const present = (r: {
  id: string;
  contact_id: string;
  body: string;
  created_at: Date;
  author_id: string | null;
  name: string | null;
  display_name: string | null;
}): Note => ({
  id: r.id,
  contactId: r.contact_id,
  body: r.body,
  author: r.author_id ? { id: r.author_id, name: r.display_name ?? r.name ?? '' } : null,
  createdAt: new Date(r.created_at).toISOString(),
});

/** A contact's notes, newest first. */
export async function listContactNotes(db: Db, props: { actor: Actor; contactId: string }): Promise<Note[]> {
  await assertCanSeeContact(db, props);
  const rows = await noteQuery(db)
    .where('n.contact_id', '=', props.contactId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .execute();
  return rows.map(present);
}

export async function addContactNote(
  db: Db,
  props: { actor: Actor; contactId: string; body: string; now?: Date },
): Promise<Note> {
  const { actor, contactId, body } = props;
  return db.transaction().execute(async (trx) => {
    await assertCanSeeContact(trx, { actor, contactId });
    const erased = await trx.selectFrom('contacts').select('erased_at').where('id', '=', contactId).executeTakeFirst();
    if (erased?.erased_at) throw new AppError('conflict', 'this contact was erased: nothing more is written about them');
    const { id } = await trx
      .insertInto('contact_notes')
      .values({
        contact_id: contactId,
        author_id: actor.kind === 'user' ? actor.id : null,
        body,
        ...(props.now ? { created_at: props.now } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const note = present(await noteQuery(trx).where('n.id', '=', id).executeTakeFirstOrThrow());
    await recordAudit(trx, { actor, action: 'contact.note_added', entityType: 'contact', entityId: contactId, after: note });
    return note;
  });
}

/** Deletes a note: its author or an admin (another agent's words are not theirs to take back). */
export async function deleteContactNote(db: Db, props: { actor: Actor; contactId: string; noteId: string }): Promise<void> {
  const { actor, contactId, noteId } = props;
  await db.transaction().execute(async (trx) => {
    await assertCanSeeContact(trx, { actor, contactId });
    const row = await noteQuery(trx).where('n.id', '=', noteId).where('n.contact_id', '=', contactId).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'note not found');
    if (actor.kind === 'user' && actor.role !== 'admin' && row.author_id !== actor.id)
      throw new AppError('forbidden', 'only the author of a note or an admin can delete it');
    await trx.deleteFrom('contact_notes').where('id', '=', noteId).execute();
    await recordAudit(trx, {
      actor,
      action: 'contact.note_deleted',
      entityType: 'contact',
      entityId: contactId,
      before: present(row),
    });
  });
}
