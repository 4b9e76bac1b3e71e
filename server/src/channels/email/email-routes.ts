import {
  AppError,
  EmailAgentSignature,
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
import { getAgentSignature, setAgentSignature } from './agent-signature';
import { aroundChatRoutes } from './around-chat-routes';
import { emailThread, fullEmail, setThreadCc } from './email-thread';
import { getEmailInboxSettings, testEmailInbox, testImapInbox, updateEmailInboxSettings } from './inbox-settings';
import { SecretBox } from './secret-box';
import { loadChannelSecret } from './thread-token';

const tags = ['Email'];

export function emailRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;
  aroundChatRoutes(app, deps);
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

  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/inboxes/{id}/email/imap/test',
      operationId: 'testEmailInboxImap',
      tags,
      summary: "Test an email inbox's IMAP mailbox",
      description: 'Logs in to the configured IMAP server with the stored password and opens the mailbox, as the poller does.',
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(EmailTestResult, 'Whether the server accepted the login and the mailbox exists') },
    }),
    async (c) => c.json(await testImapInbox(db, { box: await secretBox(), id: c.req.valid('param').id }), 200),
  );

  const userOf = (c: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(c);
    if (actor.kind !== 'user') throw new AppError('forbidden', 'only a signed-in agent has a signature');
    return actor;
  };

  app.openapi(
    secured('user', {
      method: 'get',
      path: '/me/email-signature',
      operationId: 'getMyEmailSignature',
      tags,
      summary: 'Your email signature',
      description: "The plain-text signature under your email replies; without one the inbox's signature is used.",
      responses: { 200: json(EmailAgentSignature, 'Your signature (null: none)') },
    }),
    async (c) => c.json({ signature: await getAgentSignature(db, userOf(c).id) }, 200),
  );

  app.openapi(
    secured('user', {
      method: 'put',
      path: '/me/email-signature',
      operationId: 'setMyEmailSignature',
      tags,
      summary: 'Set your email signature',
      description: "Replaces the signature under your email replies; null or empty removes it (the inbox's is used again).",
      request: { body: jsonBody(EmailAgentSignature) },
      responses: { 200: json(EmailAgentSignature, 'Your signature') },
    }),
    async (c) => c.json({ signature: await setAgentSignature(db, userOf(c), c.req.valid('json').signature) }, 200),
  );
}
