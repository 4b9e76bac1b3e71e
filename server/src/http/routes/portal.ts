import type { App, AppDeps } from '../context';
import { portalAccountRoutes } from './portal-account';
import { portalApp } from './portal-app';
import { portalSettingsRoutes } from './portal-settings';
import { portalSignInRoutes } from './portal-sign-in';
import { portalTicketRoutes } from './portal-tickets';

/**
 * The customer portal's API. Every operation is tagged "Portal"; the signed-in ones need a portal
 * session (`X-Portal-Session`, from a sign-in), resolved to the customer's contact. A customer is
 * never an agent actor: agent operations see no session and answer 401. Registered in this order,
 * which is the order of the API reference.
 */
export function portalRoutes(api: App, deps: AppDeps) {
  const portal = portalApp(deps);
  portalSignInRoutes(portal, deps);
  portalAccountRoutes(portal, deps);
  portalTicketRoutes(portal, deps);
  api.route('/', portal.app as unknown as App);
  portalSettingsRoutes(api, deps);
}
