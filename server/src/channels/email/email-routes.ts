import { EmailCcUpdate, EmailFull, EmailThread, Id } from '@autocrm/shared';
import { z } from 'zod';
import { actorOf } from '../../http/actor-of';
import type { App, AppDeps } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import { emailThread, fullEmail, setThreadCc } from './email-thread';

const tags = ['Email'];

export function emailRoutes(app: App, { db }: AppDeps) {
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/email',
      tags,
      summary: "A conversation's mails: subject, addresses, delivery state of each reply",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(EmailThread, 'The email thread (empty for a conversation without mail)') },
    }),
    async (c) => c.json(await emailThread(db, actorOf(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/conversations/{id}/email/{emailId}',
      tags,
      summary: 'One mail in full, quoted history and signature included ("show full email")',
      request: { params: z.object({ id: Id, emailId: Id }) },
      responses: { 200: json(EmailFull, 'The whole mail, sanitized') },
    }),
    async (c) => {
      const { id, emailId } = c.req.valid('param');
      return c.json(await fullEmail(db, actorOf(c), id, emailId), 200);
    },
  );

  app.openapi(
    secured('conversations:write', {
      method: 'put',
      path: '/conversations/{id}/email/cc',
      tags,
      summary: 'Set the addresses copied on replies in this conversation',
      request: { params: z.object({ id: Id }), body: jsonBody(EmailCcUpdate) },
      responses: { 200: json(EmailThread, 'The email thread with its new cc list') },
    }),
    async (c) => c.json(await setThreadCc(db, actorOf(c), c.req.valid('param').id, c.req.valid('json').cc), 200),
  );
}
