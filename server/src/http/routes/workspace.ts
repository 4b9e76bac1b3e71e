import { z } from 'zod';
import { createSavedView, deleteSavedView, listSavedViews, SavedView, SavedViewCreate } from '../../domain/workspace/saved-views';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const AgentPresence = z
  .object({ userId: z.uuid(), name: z.string(), status: z.enum(['online', 'away', 'offline']) })
  .meta({ id: 'AgentPresence' });

/** What the agent workspace needs beside the ticket core: saved queue views, and who is online. */
export function workspaceRoutes(app: App, deps: AppDeps) {
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/presence',
      tags: ['Workspace'],
      summary: 'Agents with a live connection and their presence (online or away)',
      responses: { 200: json(z.object({ data: z.array(AgentPresence) }), 'Agents online') },
    }),
    async (c) => {
      const all = (await deps.presence?.all()) ?? new Map();
      return c.json({ data: [...all].map(([userId, p]) => ({ userId, name: p.name, status: p.status })) }, 200);
    },
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/views',
      tags: ['Workspace'],
      summary: 'Saved queue views: shared ones and your own',
      responses: { 200: json(z.object({ data: z.array(SavedView) }), 'Saved views') },
    }),
    async (c) => c.json({ data: await listSavedViews(deps.db, actorOf(c)) }, 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'post',
      path: '/views',
      tags: ['Workspace'],
      summary: 'Save a queue view (personal, or shared with everyone)',
      request: { body: jsonBody(SavedViewCreate) },
      responses: { 201: json(SavedView, 'The saved view') },
    }),
    async (c) => c.json(await createSavedView(deps.db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'delete',
      path: '/views/{id}',
      tags: ['Workspace'],
      summary: 'Delete a saved view (shared ones: supervisors and admins)',
      request: { params: z.object({ id: z.uuid() }) },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteSavedView(deps.db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
}
