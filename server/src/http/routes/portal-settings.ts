import { PortalSettings, PortalSettingsUpdate } from '@autocrm/shared';
import { getPortalSettings, updatePortalSettings } from '../../domain/portal/branding';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

/** Admins: the portal's look and where its tickets land (Settings → Portal). */
export function portalSettingsRoutes(api: App, { db }: AppDeps) {
  api.openapi(
    secured('admin', {
      method: 'get',
      path: '/portal-settings',
      tags: ['Workspace'],
      summary: 'Get the customer portal settings',
      responses: { 200: json(PortalSettings, 'Branding and the inbox for portal tickets') },
    }),
    async (c) => c.json(await getPortalSettings(db), 200),
  );
  api.openapi(
    secured('admin', {
      method: 'put',
      path: '/portal-settings',
      tags: ['Workspace'],
      summary: 'Update the customer portal settings',
      request: { body: jsonBody(PortalSettingsUpdate) },
      responses: { 200: json(PortalSettings, 'Updated') },
    }),
    async (c) => c.json(await updatePortalSettings(db, { actor: actorOf(c), input: c.req.valid('json') }), 200),
  );
}
