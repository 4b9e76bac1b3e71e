import { ChannelTestResult, ChannelTestSend, Id } from '@autocrm/shared';
import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit';
import { actorOf } from '../../http/actor-of';
import type { App } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import type { Db } from '../../storage/db';
import type { ProviderOutcome } from './channel-sender';

/**
 * "Send test" in an inbox's settings: one message straight through the provider's API (not the queue,
 * not a room) to an address the admin types, answered with what the provider said, so a wrong token or
 * page id shows at once. Audited, as it spends the workspace's messaging credit.
 */
export function testSendRoute(
  app: App,
  db: Db,
  props: {
    channel: string;
    tag: string;
    label: string;
    /** `baseUrl`: where this server is reachable, as the request came in (for callbacks). */
    send: (inboxId: string, to: string, text: string, baseUrl: string) => Promise<ProviderOutcome | undefined>;
  },
) {
  app.openapi(
    secured('admin', {
      method: 'post',
      path: `/inboxes/{id}/${props.channel}/test`,
      tags: [props.tag],
      summary: `Send a test message through the ${props.label} inbox and show the provider's answer`,
      request: { params: z.object({ id: Id }), body: jsonBody(ChannelTestSend) },
      responses: { 200: json(ChannelTestResult, "The provider's answer (ok false: the error it gave)") },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { to, text } = c.req.valid('json');
      const outcome = await props.send(id, to, text, new URL(c.req.url).origin);
      const result = !outcome
        ? { ok: false, externalId: null, answer: `the ${props.label} inbox is not connected yet: save its credentials first` }
        : outcome.ok
          ? { ok: true, externalId: outcome.externalId, answer: `accepted as ${outcome.externalId}` }
          : { ok: false, externalId: null, answer: outcome.reason };
      await recordAudit(db, {
        actor: actorOf(c),
        action: 'inbox.test_message_sent',
        entityType: 'inbox',
        entityId: id,
        after: { to, ok: result.ok, answer: result.answer },
      });
      return c.json(result, 200);
    },
  );
}
