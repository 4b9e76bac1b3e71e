import {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  AuditEntry,
  AuditListQuery,
  Id,
  page,
  User,
  UserCreate,
  UserUpdate,
} from '@autocrm/shared';
import { z } from 'zod';
import { listAudit } from '../../domain/audit/list-audit';
import { createApiKey, listApiKeys, revokeApiKey } from '../../domain/auth/api-keys';
import { createUser, listUsers, updateUser } from '../../domain/auth/users';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });

export function userRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/users',
      tags: ['Users'],
      summary: 'List users (to pick an assignee)',
      responses: { 200: json(z.object({ data: z.array(User) }), 'Users') },
    }),
    async (c) => c.json({ data: await listUsers(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/users',
      tags: ['Users'],
      summary: 'Create a user',
      request: { body: jsonBody(UserCreate) },
      responses: { 201: json(User, 'The new user') },
    }),
    async (c) => c.json(await createUser(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/users/{id}',
      tags: ['Users'],
      summary: 'Change name, role or deactivate',
      description: 'Deactivating a user ends their sessions at once.',
      request: { params: IdParam, body: jsonBody(UserUpdate) },
      responses: { 200: json(User, 'The user') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await updateUser(db, { actor: actorOf(c), id: c.req.valid('param').id, input });
      if (input.active !== undefined || input.role) await deps.liveAccess?.changed({ kind: 'user', userId: user.id });
      return c.json(user, 200);
    },
  );

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/api-keys',
      tags: ['API keys'],
      summary: 'List API keys (never the keys themselves)',
      responses: { 200: json(z.object({ data: z.array(ApiKey) }), 'API keys') },
    }),
    async (c) => c.json({ data: await listApiKeys(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/api-keys',
      tags: ['API keys'],
      summary: 'Create an API key',
      description: 'The key is in this response only; it is stored hashed.',
      request: { body: jsonBody(ApiKeyCreate) },
      responses: { 201: json(ApiKeyCreated, 'The new key') },
    }),
    async (c) => c.json(await createApiKey(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Revoke an API key (takes effect at once)',
      request: { params: IdParam },
      responses: { 200: json(ApiKey, 'The revoked key') },
    }),
    async (c) => {
      const key = await revokeApiKey(db, { actor: actorOf(c), id: c.req.valid('param').id });
      await deps.liveAccess?.changed({ kind: 'api_key', keyId: key.id });
      return c.json(key, 200);
    },
  );

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/audit-log',
      tags: ['Audit log'],
      summary: 'Who changed what, newest first',
      request: { query: AuditListQuery },
      responses: { 200: json(page(AuditEntry), 'Audit entries') },
    }),
    async (c) => c.json(await listAudit(db, c.req.valid('query')), 200),
  );
}
