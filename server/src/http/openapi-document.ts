import { EVENT_TYPES, WEBHOOK_EVENT_DESCRIPTIONS, WebhookEventPayloads } from '@autocrm/shared';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from './context';
import { operationIdOf } from './openapi';

/** One line per tag, shown as the sections of the API reference. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Auth: 'Signing in and out, the session and its CSRF token.',
  Conversations: 'Conversations (tickets) and their messages, notes, status, assignment and tags.',
  Contacts: 'The people who write in.',
  Inboxes: 'Channels conversations arrive through (web widget, email) and their settings.',
  Users: 'Agents, supervisors and admins.',
  'API keys': 'Scoped keys for scripts and integrations.',
  Webhooks: 'Signed HTTP callbacks for domain events (payloads under `webhooks`).',
  Routing: 'Teams, skills, SLA policies, rules and the queue.',
  'Knowledge base': 'Articles, categories, translations and versions the help center and the bot use.',
  'Help center': 'The public help center: articles, search and feedback, no authentication.',
  Widget:
    "The chat widget's own endpoints, served at /widget-api/v1 on the site's root: open CORS, no credentials; the website and visitor tokens travel in the body.",
  Portal:
    'The customer portal: customers sign in (mailed link, password or the host site identity) and see, open, answer, close and rate their own tickets. Authenticated by `X-Portal-Session`, never by the agent session.',
  Macros: 'Saved replies with variables and notes.',
  Email: 'Email inboxes: addresses, outgoing servers, delivery status.',
  Workspace: 'Workspace settings.',
  Tags: 'Conversation tags.',
  Statuses: 'Custom conversation statuses.',
  'Custom fields': 'Typed fields on conversations and contacts.',
  Admin: 'Maintenance jobs and other administration.',
  'Audit log': 'Who changed what, when.',
};

/** The webhook events and their payloads, in the document's `webhooks` section (OpenAPI 3.1). */
export function registerWebhookEvents(api: OpenAPIHono<AppEnv>): void {
  for (const type of EVENT_TYPES) {
    api.openAPIRegistry.registerWebhook({
      method: 'post',
      path: type,
      operationId: operationIdOf(`webhook ${type.replace(/[._]/g, ' ')}`),
      tags: ['Webhooks'],
      summary: type,
      // Sent by us to the subscriber: its authenticity is the signature headers, not an API credential.
      security: [],
      description: `${WEBHOOK_EVENT_DESCRIPTIONS[type]}\n\nPOSTed to every webhook subscribed to \`${type}\` or \`*\`, signed per Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`).`,
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ type: z.literal(type), timestamp: z.string(), data: WebhookEventPayloads[type] }),
            },
          },
        },
      },
      responses: {
        200: { description: 'Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried' },
      },
    });
  }
}

type Doc = Record<string, any>;

/**
 * The last touches on the generated document: every tag used is declared with a description, and
 * unicode regex patterns lose the `/u` the generator appends (JSON Schema patterns are unicode anyway).
 */
export function finishDocument(doc: Doc): Doc {
  const used = new Set<string>();
  for (const section of [doc.paths ?? {}, doc.webhooks ?? {}])
    for (const item of Object.values(section) as Doc[])
      for (const op of Object.values(item) as Doc[]) for (const tag of op.tags ?? []) used.add(tag);
  doc.tags = [...used]
    .sort()
    .map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? `Operations on ${name.toLowerCase()}.` }));
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const x of node) walk(x);
    else if (node && typeof node === 'object') {
      const o = node as Doc;
      if (typeof o.pattern === 'string' && o.pattern.endsWith('/u')) o.pattern = o.pattern.slice(0, -2);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(doc.components);
  return doc;
}
