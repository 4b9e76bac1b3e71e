import {
  Contact,
  ContactIdentity,
  ContactIdentityInput,
  ContactImport,
  ContactImportResult,
  ContactInput,
  ContactListQuery,
  ContactNote,
  ContactNoteInput,
  ContactUpdate,
  Id,
  page,
  ReplyChannels,
} from '@autocrm/shared';
import { z } from 'zod';
import { addContactNote, deleteContactNote, listContactNotes } from '../../domain/contacts/contact-notes';
import { createContact, getContact, listContacts, updateContact } from '../../domain/contacts/contacts';
import { addContactIdentity, listContactIdentities, removeContactIdentity } from '../../domain/contacts/identities';
import { importContacts } from '../../domain/contacts/import-contacts';
import { listReplyChannels } from '../../domain/conversations/reply-channels';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const tags = ['Contacts'];

export function contactRoutes(app: App, { db }: AppDeps) {
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/reply-channels',
      tags: ['Conversations'],
      summary: "Where the customer of a conversation can be answered: each inbox reaching one of the contact's identities",
      description:
        'The default is the inbox the customer last wrote on. An option with a `conversationId` continues that conversation (POST /conversations/{id}/messages); one without starts a conversation there (POST /conversations/start).',
      request: { params: IdParam },
      responses: { 200: json(ReplyChannels, 'The reply channels') },
    }),
    async (c) => c.json(await listReplyChannels(db, { actor: actorOf(c), conversationId: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/contacts/{id}/identities',
      tags,
      summary: "A contact's identities: every address an inbound message finds them by",
      request: { params: IdParam },
      responses: { 200: json(z.object({ data: z.array(ContactIdentity) }), 'The identities, oldest first') },
    }),
    async (c) =>
      c.json({ data: await listContactIdentities(db, { actor: actorOf(c), contactId: c.req.valid('param').id }) }, 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'post',
      path: '/contacts/{id}/identities',
      tags,
      summary: 'Add an identity (an address of the contact on a channel)',
      description:
        'Messages from this address then land on this contact. An address another contact holds is a 409 conflict: merge the two contacts instead. Messenger, Instagram and widget ids belong to one inbox (`inboxId`).',
      request: { params: IdParam, body: jsonBody(ContactIdentityInput) },
      responses: { 201: json(ContactIdentity, 'The identity') },
    }),
    async (c) =>
      c.json(
        await addContactIdentity(db, { actor: actorOf(c), contactId: c.req.valid('param').id, input: c.req.valid('json') }),
        201,
      ),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'delete',
      path: '/contacts/{id}/identities/{identityId}',
      tags,
      summary: 'Remove an identity: messages from that address no longer find this contact',
      request: { params: z.object({ id: Id, identityId: Id }) },
      responses: { 204: { description: 'Removed' } },
    }),
    async (c) => {
      const { id, identityId } = c.req.valid('param');
      await removeContactIdentity(db, { actor: actorOf(c), contactId: id, identityId });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/contacts/{id}/notes',
      tags,
      summary: 'Internal notes about a contact (only agents see them), newest first',
      request: { params: IdParam },
      responses: { 200: json(z.object({ data: z.array(ContactNote) }), 'The notes, newest first') },
    }),
    async (c) => c.json({ data: await listContactNotes(db, { actor: actorOf(c), contactId: c.req.valid('param').id }) }, 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'post',
      path: '/contacts/{id}/notes',
      tags,
      summary: 'Write an internal note about a contact',
      description:
        'Recorded with its author and time, audited, deleted when the contact is erased and moved to the survivor when contacts merge. An erased contact takes no notes (409).',
      request: { params: IdParam, body: jsonBody(ContactNoteInput) },
      responses: { 201: json(ContactNote, 'The note') },
    }),
    async (c) =>
      c.json(
        await addContactNote(db, { actor: actorOf(c), contactId: c.req.valid('param').id, body: c.req.valid('json').body }),
        201,
      ),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'delete',
      path: '/contacts/{id}/notes/{noteId}',
      tags,
      summary: 'Delete a note about a contact (its author or an admin)',
      request: { params: z.object({ id: Id, noteId: Id }) },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      const { id, noteId } = c.req.valid('param');
      await deleteContactNote(db, { actor: actorOf(c), contactId: id, noteId });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/contacts',
      tags,
      summary: 'List contacts, newest first',
      request: { query: ContactListQuery },
      responses: { 200: json(page(Contact), 'A page of contacts') },
    }),
    async (c) => c.json(await listContacts(db, { actor: actorOf(c), ...c.req.valid('query') }), 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'post',
      path: '/contacts',
      tags,
      summary: 'Create a contact',
      request: { body: jsonBody(ContactInput) },
      responses: { 201: json(Contact, 'The new contact') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const contact = await db.transaction().execute((trx) => createContact(trx, { actor: actorOf(c), input }));
      return c.json(contact, 201);
    },
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/contacts/{id}',
      tags,
      summary: 'Get a contact',
      request: { params: IdParam },
      responses: { 200: json(Contact, 'The contact') },
    }),
    async (c) => c.json(await getContact(db, { actor: actorOf(c), id: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'patch',
      path: '/contacts/{id}',
      tags,
      summary: 'Update a contact',
      description: 'Attributes are merged; an attribute set to null is removed.',
      request: { params: IdParam, body: jsonBody(ContactUpdate) },
      responses: { 200: json(Contact, 'The contact after the change') },
    }),
    async (c) =>
      c.json(await updateContact(db, { actor: actorOf(c), id: c.req.valid('param').id, changes: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'post',
      path: '/contacts/import',
      operationId: 'importContacts',
      tags,
      summary: 'Import contacts (all or nothing)',
      description:
        'Creates or updates up to 5000 contacts in one transaction. A row whose email (or else external id) matches a contact updates it, attributes merged, so importing a file twice changes nothing the second time. If any row is invalid or conflicts, nothing is stored and the error issues name the row (`rows.<index>.<field>`, index from 0).',
      request: { body: jsonBody(ContactImport) },
      responses: { 200: json(ContactImportResult, 'How many were created and updated') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      return c.json(await db.transaction().execute((trx) => importContacts(trx, { actor: actorOf(c), input })), 200);
    },
  );
}
