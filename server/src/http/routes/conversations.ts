import {
  Conversation,
  ConversationBulkUpdate,
  ConversationCreate,
  ConversationListItem,
  ConversationListQuery,
  ConversationUpdate,
  Id,
  Message,
  MessageCreate,
  MessageListQuery,
  page,
  StatusChange,
} from '@autocrm/shared';
import { z } from 'zod';
import { actorLabel } from '../../domain/actor';
import { createConversation } from '../../domain/conversations/create-conversation';
import { listConversations } from '../../domain/conversations/list-conversations';
import { getVisibleConversation, statusHistory } from '../../domain/conversations/status-history';
import { bulkUpdateConversations, updateConversation } from '../../domain/conversations/update-conversation';
import { listMessages } from '../../domain/messages/list-messages';
import { postMessage } from '../../domain/messages/post-message';
import { bindAttachments, checkAttachments } from '../../domain/widget/uploads';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const tags = ['Conversations'];

export function conversationRoutes(app: App, { db, config }: AppDeps) {
  const uploadsDir = uploadStoreFor(config);
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations',
      tags,
      summary: 'List conversations',
      description: 'Filter, sort and page with cursors. Agents see only the inboxes they belong to.',
      request: { query: ConversationListQuery },
      responses: { 200: json(page(ConversationListItem), 'A page of conversations with list previews') },
    }),
    async (c) => c.json(await listConversations(db, { actor: actorOf(c), query: c.req.valid('query') }), 200),
  );

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations',
      tags,
      summary: 'Create a conversation',
      request: { body: jsonBody(ConversationCreate) },
      responses: { 201: json(Conversation, 'The new conversation') },
    }),
    async (c) => c.json(await createConversation(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/bulk',
      tags,
      summary: 'Update many conversations at once',
      description: 'All or nothing: if one conversation cannot be updated, none is.',
      request: { body: jsonBody(ConversationBulkUpdate) },
      responses: { 200: json(z.object({ data: z.array(Conversation) }), 'The updated conversations') },
    }),
    async (c) => {
      const { ids, update } = c.req.valid('json');
      return c.json({ data: await bulkUpdateConversations(db, { actor: actorOf(c), ids, update }) }, 200);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}',
      tags,
      summary: 'Get a conversation',
      request: { params: IdParam },
      responses: { 200: json(Conversation, 'The conversation') },
    }),
    async (c) => c.json(await getVisibleConversation(db, { actor: actorOf(c), id: c.req.valid('param').id }), 200),
  );

  app.openapi(
    secured('conversations:write', {
      method: 'patch',
      path: '/conversations/{id}',
      tags,
      summary: 'Update a conversation',
      request: { params: IdParam, body: jsonBody(ConversationUpdate) },
      responses: { 200: json(Conversation, 'The conversation after the change') },
    }),
    async (c) =>
      c.json(await updateConversation(db, { actor: actorOf(c), id: c.req.valid('param').id, update: c.req.valid('json') }), 200),
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/messages',
      tags,
      summary: 'List messages and internal notes in seq order',
      request: { params: IdParam, query: MessageListQuery },
      responses: { 200: json(z.object({ data: z.array(Message) }), 'Messages') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const data = await listMessages(db, {
        actor: actorOf(c),
        conversationId: c.req.valid('param').id,
        afterSeq: q.afterSeq,
        beforeSeq: q.beforeSeq,
        limit: q.limit,
        includePrivate: q.includePrivate === 'true',
      });
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/messages',
      tags,
      summary: 'Post a message or an internal note',
      description: 'Retrying with the same `clientId` stores the message once and returns it again with 200.',
      request: { params: IdParam, body: jsonBody(MessageCreate) },
      responses: { 201: json(Message, 'Stored'), 200: json(Message, 'Already stored under this clientId') },
    }),
    async (c) => {
      const conversationId = c.req.valid('param').id;
      const input = c.req.valid('json');
      const owner = actorLabel(actorOf(c));
      const ids = await checkAttachments(uploadsDir, { owner, conversationId, attachments: input.attachments });
      const { message, duplicate } = await postMessage(db, { actor: actorOf(c), conversationId, input });
      await bindAttachments({ dir: uploadsDir, ids, conversationId });
      return duplicate ? c.json(message, 200) : c.json(message, 201);
    },
  );

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/notes',
      tags,
      summary: 'Add an internal note (never shown to the customer)',
      request: { params: IdParam, body: jsonBody(MessageCreate.omit({ private: true, from: true })) },
      responses: { 201: json(Message, 'Stored'), 200: json(Message, 'Already stored under this clientId') },
    }),
    async (c) => {
      const conversationId = c.req.valid('param').id;
      const input = c.req.valid('json');
      const owner = actorLabel(actorOf(c));
      const ids = await checkAttachments(uploadsDir, { owner, conversationId, attachments: input.attachments });
      const { message, duplicate } = await postMessage(db, {
        actor: actorOf(c),
        conversationId,
        input: { ...input, private: true, from: 'agent' },
      });
      await bindAttachments({ dir: uploadsDir, ids, conversationId });
      return duplicate ? c.json(message, 200) : c.json(message, 201);
    },
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/status-history',
      tags,
      summary: 'Every status change, oldest first',
      request: { params: IdParam },
      responses: { 200: json(z.object({ data: z.array(StatusChange) }), 'Status history') },
    }),
    async (c) => c.json({ data: await statusHistory(db, { actor: actorOf(c), conversationId: c.req.valid('param').id }) }, 200),
  );
}
