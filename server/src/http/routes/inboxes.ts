import { Id, Inbox, InboxCreate, InboxUpdate } from '@autocrm/shared';
import { z } from 'zod';
import { createInbox, listInboxes, updateInbox } from '../../domain/admin/inboxes';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const tags = ['Inboxes'];

export function inboxRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/inboxes',
      tags,
      summary: 'List inboxes and their members',
      responses: { 200: json(z.object({ data: z.array(Inbox) }), 'Inboxes') },
    }),
    async (c) => c.json({ data: await listInboxes(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/inboxes',
      tags,
      summary: 'Create an inbox',
      request: { body: jsonBody(InboxCreate) },
      responses: { 201: json(Inbox, 'The new inbox') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      return c.json(await db.transaction().execute((trx) => createInbox(trx, { actor: actorOf(c), input })), 201);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}',
      tags,
      summary: 'Rename an inbox or set its members',
      request: { params: z.object({ id: Id }), body: jsonBody(InboxUpdate) },
      responses: { 200: json(Inbox, 'The inbox') },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const before = (await listInboxes(db)).find((i) => i.id === id)?.members ?? [];
      const inbox = await updateInbox(db, { actor: actorOf(c), id, input: c.req.valid('json') });
      // Whoever left or joined: their open sockets and drafts follow the new membership now.
      const moved = [...before.filter((u) => !inbox.members.includes(u)), ...inbox.members.filter((u) => !before.includes(u))];
      await deps.liveAccess?.changed(...moved.map((userId) => ({ kind: 'user' as const, userId })));
      return c.json(inbox, 200);
    },
  );
}
