import { Id, KbSearchHit } from '@autocrm/shared';
import { z } from 'zod';
import { assertCanSeeConversation } from '../../domain/access/gate';
import { agentAssist } from '../../domain/bot/agent-assist';
import { ownershipHistory } from '../../domain/bot/ownership-history';
import { requestPerson } from '../../domain/bot/request-person';
import { translateMessage } from '../../domain/bot/translate-message';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const AgentAssist = z
  .object({ articles: z.array(KbSearchHit), suggestedReply: z.string().nullable(), language: z.string() })
  .meta({ id: 'AgentAssist' });
const Ownership = z
  .object({
    fromOwner: z.enum(['bot', 'human']).nullable(),
    toOwner: z.enum(['bot', 'human']),
    reason: z.string(),
    actorId: Id.nullable(),
    at: z.string(),
  })
  .meta({ id: 'OwnershipChange' });

/** The bot seen from the workspace: agent assist, taking a room over, and who owned it when. */
export function botRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/assist',
      tags: ['Conversations'],
      summary: 'Suggested articles and (with an LLM) a suggested reply for this conversation',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(AgentAssist, 'Suggestions') },
    }),
    async (c) => {
      const origin = new URL(c.req.url).origin;
      return c.json(
        await agentAssist(
          {
            kb: deps.kb,
            llm: deps.llm,
            model: config.OPENAI_MODEL,
            companyName: config.COMPANY_NAME,
            timeoutMs: config.OPENAI_TIMEOUT_MS,
            baseUrl: config.PUBLIC_URL ?? origin,
          },
          { actor: actorOf(c), conversationId: c.req.valid('param').id },
        ),
        200,
      );
    },
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/messages/{messageId}/translate',
      tags: ['Conversations'],
      summary: "Translate a message into the agent's language",
      description:
        'With an LLM configured: the message translated by it, for the caller only (nothing is stored). 503 `unavailable` without one.',
      request: {
        params: z.object({ id: Id, messageId: Id }),
        body: jsonBody(
          z.strictObject({
            target: z
              .string()
              .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a language code such as de or en-GB')
              .meta({ description: 'The language to translate into' }),
          }),
        ),
      },
      responses: {
        200: json(z.object({ text: z.string(), target: z.string() }).meta({ id: 'MessageTranslation' }), 'The translation'),
      },
    }),
    async (c) => {
      const { id, messageId } = c.req.valid('param');
      return c.json(
        await translateMessage(db, {
          llm: deps.llm,
          model: config.OPENAI_MODEL,
          timeoutMs: config.OPENAI_TIMEOUT_MS,
          actor: actorOf(c),
          conversationId: id,
          messageId,
          target: c.req.valid('json').target,
        }),
        200,
      );
    },
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/features',
      tags: ['Workspace'],
      summary: 'Optional features switched on in this installation',
      responses: {
        200: json(
          z
            .object({ translation: z.boolean().meta({ description: 'An LLM is configured: messages can be translated' }) })
            .meta({ id: 'Features' }),
          'Features',
        ),
      },
    }),
    async (c) => c.json({ translation: deps.llm !== null }, 200),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/take-over',
      tags: ['Conversations'],
      summary: 'Take the conversation from the bot (a person answers from now on)',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(z.object({ handedOff: z.boolean() }), 'Whether the bot had the room until now') },
    }),
    async (c) => {
      const actor = actorOf(c);
      const id = c.req.valid('param').id;
      await assertCanSeeConversation(db, { actor, conversationId: id });
      const handedOff = await requestPerson(db, {
        conversationId: id,
        reason: 'agent_took_over',
        actorId: actor.kind === 'user' ? actor.id : null,
      });
      return c.json({ handedOff }, 200);
    },
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/ownership',
      tags: ['Conversations'],
      summary: 'Who answered the room (bot or person) and when it changed, oldest first',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(z.object({ data: z.array(Ownership) }), 'Ownership changes') },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await assertCanSeeConversation(db, { actor: actorOf(c), conversationId: id });
      const rows = await ownershipHistory(db, { conversationId: id });
      return c.json(
        {
          data: rows.map((r) => ({
            fromOwner: r.from_owner,
            toOwner: r.to_owner,
            reason: r.reason,
            actorId: r.actor_id,
            at: r.at.toISOString(),
          })),
        },
        200,
      );
    },
  );
}
