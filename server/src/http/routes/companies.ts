import {
  Company,
  CompanyInput,
  CompanyListQuery,
  CompanyUpdate,
  Contact,
  Conversation,
  ConversationListQuery,
  Id,
  page,
} from '@autocrm/shared';
import { z } from 'zod';
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  listCompanyContacts,
  updateCompany,
} from '../../domain/contacts/companies';
import { listConversations } from '../../domain/conversations/list-conversations';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const tags = ['Contacts'];
const CompanyConversationsQuery = ConversationListQuery.omit({ company: true, contact: true });

// Companies are part of the contact book: reading them needs contacts:read, changing them contacts:write.
export function companyRoutes(app: App, { db }: AppDeps) {
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/companies',
      operationId: 'listCompanies',
      tags,
      summary: 'List companies by name',
      request: { query: CompanyListQuery },
      responses: { 200: json(page(Company), 'A page of companies') },
    }),
    async (c) => c.json(await listCompanies(db, c.req.valid('query')), 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'post',
      path: '/companies',
      operationId: 'createCompany',
      tags,
      summary: 'Create a company',
      description:
        'With a `domain`, contacts whose email is at that domain and who have no company join it now, and new ones join it when they are created.',
      request: { body: jsonBody(CompanyInput) },
      responses: { 201: json(Company, 'The new company') },
    }),
    async (c) => c.json(await createCompany(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/companies/{id}',
      operationId: 'getCompany',
      tags,
      summary: 'Get a company',
      request: { params: IdParam },
      responses: { 200: json(Company, 'The company') },
    }),
    async (c) => c.json(await getCompany(db, { id: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'patch',
      path: '/companies/{id}',
      operationId: 'updateCompany',
      tags,
      summary: 'Rename a company or change its domain or notes',
      request: { params: IdParam, body: jsonBody(CompanyUpdate) },
      responses: { 200: json(Company, 'The company after the change') },
    }),
    async (c) =>
      c.json(await updateCompany(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('contacts:write', {
      method: 'delete',
      path: '/companies/{id}',
      operationId: 'deleteCompany',
      tags,
      summary: 'Delete a company (its contacts stay, without a company)',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteCompany(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/companies/{id}/contacts',
      operationId: 'listCompanyContacts',
      tags,
      summary: "List a company's contacts",
      request: { params: IdParam },
      responses: { 200: json(z.object({ data: z.array(Contact) }), 'Its contacts the caller may see (at most 500)') },
    }),
    async (c) => c.json(await listCompanyContacts(db, { actor: actorOf(c), id: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('contacts:read', {
      method: 'get',
      path: '/companies/{id}/conversations',
      operationId: 'listCompanyConversations',
      tags,
      summary: "List the conversations of a company's contacts",
      description: 'The conversation list filtered to the contacts of this company (same filters, paging and access).',
      request: { params: IdParam, query: CompanyConversationsQuery },
      responses: { 200: json(page(Conversation), 'A page of conversations') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await getCompany(db, { id });
      return c.json(await listConversations(db, { actor: actorOf(c), query: { ...c.req.valid('query'), company: id } }), 200);
    },
  );
}
