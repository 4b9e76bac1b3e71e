import {
  AppError,
  PortalBranding,
  PortalIdentitySignIn,
  PortalLinkRedeem,
  PortalLinkRequest,
  PortalLinkRequested,
  PortalPasswordSignIn,
  PortalSession,
} from '@autocrm/shared';
import { getPortalBranding, getPortalLogo } from '../../domain/portal/branding';
import {
  PORTAL_LINK_ANSWER,
  redeemPortalLink,
  requestPortalLink,
  signInWithIdentity,
  signInWithPortalPassword,
} from '../../domain/portal/sign-in';
import { clientAddress } from '../client-address';
import { clientInfo } from '../client-info';
import type { AppDeps } from '../context';
import { json, jsonBody } from '../openapi';
import { type PortalApp, portalError } from './portal-app';

/** The portal's public face: its branding, and the ways a customer signs in (each answers a portal session). */
export function portalSignInRoutes({ app, open }: PortalApp, deps: AppDeps) {
  const { db, config } = deps;
  const client = (c: Parameters<typeof clientInfo>[0]) => clientInfo(c, config.TRUST_PROXY);

  app.openapi(
    open({
      method: 'get',
      path: '/portal/branding',
      summary: 'Get the portal branding',
      responses: { 200: json(PortalBranding, 'Name, colour, logo') },
    }),
    async (c) => c.json(await getPortalBranding(db), 200),
  );
  app.get('/portal/branding/logo', async (c) => {
    const logo = await getPortalLogo(db);
    if (!logo) return c.json(new AppError('not_found', 'no logo').toBody(c.get('requestId')), 404);
    return new Response(new Uint8Array(logo.bytes), {
      headers: {
        'content-type': logo.contentType,
        'cache-control': 'public, max-age=86400',
        'content-security-policy': "default-src 'none'; sandbox",
        'x-content-type-options': 'nosniff',
      },
    });
  });

  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/link',
      summary: 'Mail me a sign-in link',
      description:
        'Mails a one-time sign-in link (15 minutes) if the address belongs to a customer. The answer is the same for unknown addresses.',
      request: { body: jsonBody(PortalLinkRequest) },
      responses: { 202: json(PortalLinkRequested, 'Accepted (whether or not the address is known)') },
    }),
    async (c) => {
      const { email } = c.req.valid('json');
      await deps.rateLimits.portalLinksPerIp.spend(`ip:${clientAddress(c, config.TRUST_PROXY)}`);
      await deps.rateLimits.portalLinks.spend(`email:${email}`);
      // The mail is queued with an event (account.mail_queued) that wakes the sender after commit.
      await requestPortalLink(db, { email });
      return c.json({ message: PORTAL_LINK_ANSWER }, 202);
    },
  );
  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/link/redeem',
      summary: 'Sign in with a mailed link',
      request: { body: jsonBody(PortalLinkRedeem) },
      responses: { 200: json(PortalSession, 'Signed in'), 410: portalError('The link expired') },
    }),
    async (c) => c.json(await redeemPortalLink(db, { token: c.req.valid('json').token, client: client(c) }), 200),
  );
  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/password',
      summary: 'Sign in with a password',
      request: { body: jsonBody(PortalPasswordSignIn) },
      responses: { 200: json(PortalSession, 'Signed in') },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const key = `portal:${email}`;
      await deps.rateLimits.passwordChecks.assertLeft(key);
      try {
        return c.json(await signInWithPortalPassword(db, { email, password, client: client(c) }), 200);
      } catch (err) {
        if (err instanceof AppError && err.code === 'invalid_credentials') await deps.rateLimits.passwordChecks.record(key);
        throw err;
      }
    },
  );
  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/identity',
      summary: 'Sign in with the host site identity',
      description:
        "Signs in with the same signed identity the widget accepts (an HMAC of the user id, or a JWT) for a website's inbox.",
      request: { body: jsonBody(PortalIdentitySignIn) },
      responses: { 200: json(PortalSession, 'Signed in') },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await deps.rateLimits.visitors.spend(clientAddress(c, config.TRUST_PROXY));
      return c.json(
        await signInWithIdentity(db, {
          websiteToken: b.websiteToken,
          user: { id: b.userId, hash: b.hash, token: b.token },
          client: client(c),
        }),
        200,
      );
    },
  );
}
