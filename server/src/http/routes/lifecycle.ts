import { ConversationLink, Id, InboxLifecycle } from '@autocrm/shared';
import { z } from 'zod';
import { getVisibleConversation } from '../../domain/conversations/status-history';
import { getInboxLifecycle, updateInboxLifecycle } from '../../domain/lifecycle/lifecycle-settings';
import { listLinks } from '../../domain/lifecycle/links';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });

/** Conversation lifecycle: an inbox's reopen settings, links between conversations. */
export function lifecycleRoutes(app: App, { db }: AppDeps) {
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/lifecycle',
      tags: ['Inboxes'],
      summary: "An inbox's lifecycle settings (reopen window)",
      request: { params: IdParam },
      responses: { 200: json(InboxLifecycle, 'Lifecycle settings with defaults') },
    }),
    async (c) => c.json(await getInboxLifecycle(db, c.req.valid('param').id), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}/lifecycle',
      tags: ['Inboxes'],
      summary: "Change an inbox's lifecycle settings (fields given replace the stored ones)",
      request: { params: IdParam, body: jsonBody(InboxLifecycle) },
      responses: { 200: json(InboxLifecycle, 'Lifecycle settings') },
    }),
    async (c) => c.json(await updateInboxLifecycle(db, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/links',
      tags: ['Conversations'],
      summary: 'Conversations linked to this one (follow-ups, related)',
      request: { params: IdParam },
      responses: { 200: json(z.object({ data: z.array(ConversationLink) }), 'Linked conversations') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await getVisibleConversation(db, actorOf(c), id);
      return c.json({ data: await listLinks(db, id) }, 200);
    },
  );
}
