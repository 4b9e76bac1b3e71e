import {
  Conversation,
  ConversationLink,
  Id,
  InboxLifecycle,
  LinkConversationInput,
  MergeContactInput,
  MergeContactResult,
  MergeConversationInput,
  MergeConversationResult,
  SnoozeInput,
  StartConversationInput,
} from '@autocrm/shared';
import { z } from 'zod';
import { actorLabel } from '../../domain/actor';
import { mergeContacts } from '../../domain/contacts/merge-contacts';
import { startConversation } from '../../domain/conversations/start-conversation';
import { getVisibleConversation } from '../../domain/conversations/status-history';
import { getInboxLifecycle, updateInboxLifecycle } from '../../domain/lifecycle/lifecycle-settings';
import { listLinks, setRelated } from '../../domain/lifecycle/links';
import { mergeConversations } from '../../domain/lifecycle/merge-conversations';
import { snoozeConversation, wakeConversation } from '../../domain/lifecycle/snooze';
import { bindAttachments, checkAttachments } from '../../domain/widget/uploads';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });

/** Conversation lifecycle: an inbox's reopen settings, links between conversations. */
export function lifecycleRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const uploadsDir = uploadStoreFor(deps.config);
  // Routing's clock: tests move it by hand, and snooze times are judged by the same time the worker reads.
  const now = () => deps.clock.now();
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
    async (c) =>
      c.json(
        await updateInboxLifecycle(db, { actor: actorOf(c), inboxId: c.req.valid('param').id, change: c.req.valid('json') }),
        200,
      ),
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
      await getVisibleConversation(db, { actor: actorOf(c), id });
      return c.json({ data: await listLinks(db, id) }, 200);
    },
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/snooze',
      tags: ['Conversations'],
      summary: 'Snooze: out of the queues until a time and/or until the customer replies, whichever comes first',
      request: { params: IdParam, body: jsonBody(SnoozeInput) },
      responses: { 200: json(Conversation, 'The snoozed conversation') },
    }),
    async (c) => {
      const conversation = await snoozeConversation(db, {
        actor: actorOf(c),
        conversationId: c.req.valid('param').id,
        input: c.req.valid('json'),
        now: now(),
      });
      return c.json(conversation, 200);
    },
  );
  app.openapi(
    secured('conversations:write', {
      method: 'delete',
      path: '/conversations/{id}/snooze',
      tags: ['Conversations'],
      summary: 'Wake a snoozed conversation now',
      request: { params: IdParam },
      responses: { 200: json(Conversation, 'The conversation, back in the queues') },
    }),
    async (c) =>
      c.json(await wakeConversation(db, { actor: actorOf(c), conversationId: c.req.valid('param').id, now: now() }), 200),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/merge',
      operationId: 'mergeConversation',
      tags: ['Conversations'],
      summary: 'Merge a duplicate conversation into this one',
      description:
        "The duplicate's messages move into this conversation after a system line, with this room's next seqs (earlier seqs never change). The duplicate is closed, points here (`mergedIntoId`) and is linked; live clients of its room are moved here. Both must be in inboxes the caller can see. Conversations of different contacts need `confirmDifferentContact`, and their moved messages become internal notes.",
      request: { params: IdParam, body: jsonBody(MergeConversationInput) },
      responses: { 200: json(MergeConversationResult, 'Both conversations after the merge') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const result = await mergeConversations(db, {
        actor: actorOf(c),
        primaryId: c.req.valid('param').id,
        secondaryId: input.secondaryId,
        confirmDifferentContact: input.confirmDifferentContact,
      });
      return c.json(result, 200);
    },
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/links',
      operationId: 'linkConversation',
      tags: ['Conversations'],
      summary: 'Mark another conversation as related',
      description: 'Both conversations then list each other as `related`. Linking twice changes nothing.',
      request: { params: IdParam, body: jsonBody(LinkConversationInput) },
      responses: { 200: json(z.object({ data: z.array(ConversationLink) }), "This conversation's links") },
    }),
    async (c) => {
      const data = await setRelated(db, {
        actor: actorOf(c),
        conversationId: c.req.valid('param').id,
        linkedId: c.req.valid('json').linkedId,
        linked: true,
      });
      return c.json({ data }, 200);
    },
  );
  app.openapi(
    secured('conversations:write', {
      method: 'delete',
      path: '/conversations/{id}/links/{linkedId}',
      operationId: 'unlinkConversation',
      tags: ['Conversations'],
      summary: 'Remove a related link',
      description: 'Removes the `related` link on both sides. Follow-up and merge links record history and stay.',
      request: { params: z.object({ id: Id, linkedId: Id }) },
      responses: { 200: json(z.object({ data: z.array(ConversationLink) }), "This conversation's links") },
    }),
    async (c) => {
      const { id, linkedId } = c.req.valid('param');
      const data = await setRelated(db, { actor: actorOf(c), conversationId: id, linkedId, linked: false });
      return c.json({ data }, 200);
    },
  );
  app.openapi(
    secured('contacts:write', {
      method: 'post',
      path: '/contacts/{id}/merge',
      operationId: 'mergeContact',
      tags: ['Contacts'],
      summary: 'Merge a duplicate contact into this one',
      description:
        "The duplicate's conversations, widget visitors, verified identities and attributes move to this contact, then the duplicate is deleted. **Merging is final and cannot be undone**: nothing restores the duplicate (the audit log keeps a copy of both contacts as they were, for the record only). This contact's values win; its empty fields take the duplicate's; a different email, phone, name or external id of the duplicate is kept in the attributes `otherEmails`, `otherPhones`, `otherNames`, `otherExternalIds`. Both contacts must be visible to the caller.",
      request: { params: IdParam, body: jsonBody(MergeContactInput) },
      responses: { 200: json(MergeContactResult, 'The surviving contact') },
    }),
    async (c) =>
      c.json(
        await mergeContacts(db, {
          actor: actorOf(c),
          survivorId: c.req.valid('param').id,
          duplicateId: c.req.valid('json').duplicateId,
        }),
        200,
      ),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/start',
      operationId: 'startConversation',
      tags: ['Conversations'],
      summary: 'Start a conversation with a contact (the first message is yours)',
      description:
        "In an email inbox the contact (existing, or new by `contact.email`) is mailed the first message like any agent reply. In a chat inbox the contact must have used that inbox's widget; the conversation shows in their widget's list on their next visit. With `loggedVia` (phone, walk_in) it logs a call or visit that already happened: any inbox, any contact, the summary kept as an internal note. Files in `attachments` (your uploads, or a macro's copies) go with the first message. Assigned to the caller unless `assigneeId` says otherwise.",
      request: { body: jsonBody(StartConversationInput) },
      responses: { 201: json(Conversation, 'The new conversation') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const actor = actorOf(c);
      // Files the caller uploaded (not yet in any conversation); bound to the new one once it exists.
      const ids = await checkAttachments(uploadsDir, {
        owner: actorLabel(actor),
        conversationId: '',
        attachments: input.attachments,
      });
      const conversation = await startConversation(db, { actor, input });
      await bindAttachments({ dir: uploadsDir, ids, conversationId: conversation.id });
      return c.json(conversation, 201);
    },
  );
}
