import {
  EmailCcUpdate,
  EmailFull,
  EmailInboxSettings,
  EmailInboxSettingsUpdate,
  EmailTestRequest,
  EmailTestResult,
  EmailThread,
  Id,
} from '@autocrm/shared';
import { z } from 'zod';
import { actorOf } from '../../http/actor-of';
import type { App, AppDeps } from '../../http/context';
import { json, jsonBody, secured } from '../../http/openapi';
import { emailThread, fullEmail, setThreadCc } from './email-thread';
import { getEmailInboxSettings, testEmailInbox, updateEmailInboxSettings } from './inbox-settings';
import { SecretBox } from './secret-box';
import { loadChannelSecret } from './thread-token';

const tags = ['Email'];

export function emailRoutes(app: App, { db, config }: AppDeps) {
  let box: SecretBox | undefined;
  const secretBox = async () => (box ??= new SecretBox(await loadChannelSecret(db)));

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

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/inboxes/{id}/email',
      tags,
      summary: "An email inbox's address, signature and outgoing server",
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(EmailInboxSettings, 'The email settings (the SMTP password is never returned)') },
    }),
    async (c) => c.json(await getEmailInboxSettings(db, config, c.req.valid('param').id), 200),
  );

  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/inboxes/{id}/email',
      tags,
      summary: "Change an email inbox's address, signature or outgoing server (password stored encrypted)",
      request: { params: z.object({ id: Id }), body: jsonBody(EmailInboxSettingsUpdate) },
      responses: { 200: json(EmailInboxSettings, 'The email settings') },
    }),
    async (c) =>
      c.json(
        await updateEmailInboxSettings(db, {
          actor: actorOf(c),
          config,
          box: await secretBox(),
          id: c.req.valid('param').id,
          input: c.req.valid('json'),
        }),
        200,
      ),
  );

  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/inboxes/{id}/email/test',
      tags,
      summary: 'Test the outgoing server of an email inbox, and optionally send a test mail',
      request: { params: z.object({ id: Id }), body: jsonBody(EmailTestRequest) },
      responses: { 200: json(EmailTestResult, 'Whether the server accepted the connection (and the mail)') },
    }),
    async (c) =>
      c.json(
        await testEmailInbox(db, { config, box: await secretBox(), id: c.req.valid('param').id, to: c.req.valid('json').to }),
        200,
      ),
  );
}
