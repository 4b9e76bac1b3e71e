import { Id, WidgetAdmin, WidgetSettings } from '@autocrm/shared';
import { z } from 'zod';
import { getWidgetAdmin, rotateIdentitySecret, updateWidgetSettings } from '../../domain/widget/settings';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const tags = ['Inboxes'];

/** Admins: a web inbox's widget settings and its identity-verification secret. */
export function inboxWidgetRoutes(app: App, { db }: AppDeps) {
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/widget',
      tags,
      summary: "A web inbox's widget settings and identity secret",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(WidgetAdmin, 'Widget settings') },
    }),
    async (c) => c.json(await getWidgetAdmin(db, c.req.valid('param').id), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}/widget',
      tags,
      summary: "Change a web inbox's widget settings (fields given replace the stored ones)",
      request: { params: z.object({ id: Id }), body: jsonBody(WidgetSettings) },
      responses: { 200: json(WidgetAdmin, 'Widget settings') },
    }),
    async (c) =>
      c.json(
        await updateWidgetSettings(db, { actor: actorOf(c), inboxId: c.req.valid('param').id, change: c.req.valid('json') }),
        200,
      ),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/inboxes/{id}/widget/rotate-identity-secret',
      operationId: 'rotateWidgetIdentitySecret',
      tags,
      summary: "Replace a web inbox's identity secret",
      description:
        'Generates a new HMAC key for identity verification and returns it. Hashes and JWTs signed with the old key stop verifying at once: switch the key on your backend at the same time. Audited.',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(WidgetAdmin, 'Widget settings with the new secret') },
    }),
    async (c) => c.json(await rotateIdentitySecret(db, { actor: actorOf(c), inboxId: c.req.valid('param').id }), 200),
  );
}
