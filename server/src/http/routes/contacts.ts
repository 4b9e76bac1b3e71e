import {
  Contact,
  ContactImport,
  ContactImportResult,
  ContactInput,
  ContactListQuery,
  ContactUpdate,
  Id,
  page,
} from '@autocrm/shared';
import { z } from 'zod';
import { createContact, getContact, listContacts, updateContact } from '../../domain/contacts/contacts';
import { importContacts } from '../../domain/contacts/import-contacts';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const tags = ['Contacts'];

export function contactRoutes(app: App, { db }: AppDeps) {
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
