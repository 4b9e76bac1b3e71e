import { ErasureReport, InboxRetention, InboxRetentionView, RetentionPolicy } from '@autocrm/shared';
import { z } from 'zod';
import { eraseContact } from '../../domain/privacy/erase-contact';
import { exportContact } from '../../domain/privacy/export-contact';
import {
  getInboxRetention,
  getRetentionPolicy,
  putInboxRetention,
  putRetentionPolicy,
} from '../../domain/privacy/retention-settings';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const tags = ['Privacy'];
const ContactParam = z.object({ id: z.uuid() });

/** Personal data (export, erasure) and the retention policy: admins only, every call audited. */
export function privacyRoutes(app: App, { db, config }: AppDeps) {
  const store = uploadStoreFor(config);
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/admin/retention',
      operationId: 'getRetentionPolicy',
      tags,
      summary: 'The retention policy',
      description: 'How long resolved conversations, attachments, the audit log and orphan uploads are kept.',
      responses: { 200: json(RetentionPolicy, 'The policy') },
    }),
    async (c) => c.json(await getRetentionPolicy(db), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/admin/retention',
      operationId: 'putRetentionPolicy',
      tags,
      summary: 'Set the retention policy',
      description:
        'Applied by the `apply-retention` and `prune-orphan-uploads` maintenance jobs on their schedules (or "Run now" on the Maintenance page). Audited.',
      request: { body: jsonBody(RetentionPolicy) },
      responses: { 200: json(RetentionPolicy, 'The policy as stored') },
    }),
    async (c) => c.json(await putRetentionPolicy(db, { actor: actorOf(c), value: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/admin/contacts/{id}/export',
      operationId: 'exportContactData',
      tags,
      summary: "Export a contact's personal data",
      description:
        'One JSON document: the contact, their identities, conversations with messages, CSAT and custom fields, their mails, and attachment files inline (base64). Internal notes only with `includeNotes=true`. Audited.',
      request: {
        params: ContactParam,
        query: z.object({ includeNotes: z.enum(['true', 'false']).optional() }),
      },
      responses: { 200: json(z.record(z.string(), z.unknown()), 'The export (sent as a download)') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const document = await exportContact(db, {
        store,
        actor: actorOf(c),
        contactId: id,
        options: {
          includeNotes: c.req.valid('query').includeNotes === 'true',
        },
      });
      c.header('content-disposition', `attachment; filename="contact-${id}.json"`);
      c.header('cache-control', 'no-store');
      return c.json(document, 200);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/admin/contacts/{id}/erase',
      operationId: 'eraseContact',
      tags,
      summary: 'Erase a contact and their personal data',
      description:
        'Irreversible. Removes the identity, identities, the content of their conversations, mails, attachment files, and their traces in events, webhook deliveries and audit data; keeps anonymous counts (README "Personal data"). The audit log keeps that an erasure happened, with counts only.',
      request: { params: ContactParam },
      responses: { 200: json(ErasureReport, 'What was erased, counted') },
    }),
    async (c) =>
      c.json(await eraseContact(db, { store, actor: actorOf(c), contactId: c.req.valid('param').id, now: new Date() }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/admin/inboxes/{id}/retention',
      operationId: 'getInboxRetention',
      tags,
      summary: "An inbox's retention overrides and the policy that applies there",
      request: { params: ContactParam },
      responses: { 200: json(InboxRetentionView, 'Overrides and the effective policy') },
    }),
    async (c) => c.json(await getInboxRetention(db, { inboxId: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/admin/inboxes/{id}/retention',
      operationId: 'putInboxRetention',
      tags,
      summary: "Set an inbox's retention overrides",
      description:
        'Each field given overrides the workspace policy in this inbox (null: keep forever here); a field left out follows the workspace. `{}` removes every override. Audited as `retention.inbox_updated`.',
      request: { params: ContactParam, body: jsonBody(InboxRetention) },
      responses: { 200: json(InboxRetentionView, 'Overrides and the effective policy') },
    }),
    async (c) =>
      c.json(
        await putInboxRetention(db, { actor: actorOf(c), inboxId: c.req.valid('param').id, value: c.req.valid('json') }),
        200,
      ),
  );
}
