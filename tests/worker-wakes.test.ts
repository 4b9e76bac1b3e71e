import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startVisitorChat, type TestSocket, websiteTokenOf } from './helpers/sockets';
import { StatementLog } from './helpers/statement-log';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

const log = new StatementLog().install();

// The mail sender and the webhook worker are woken after a commit only by events that queued work for
// them. Every chat message passes their listeners: a wake for each cost a poll statement per message
// (thousands a minute in a busy hub, 3,500 in the reconnect-storm bench), for no mail and no webhook.
describe(`workers woken only for the work queued for them (${BACKEND})`, () => {
  let s: TestServer;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
    log.uninstall();
  });

  it('a chat that queues no mail and no webhook leaves them to their own rounds', async () => {
    // (the helper joins the room too: the chat as a widget has it)
    const chat = await startVisitorChat(s.url, await websiteTokenOf(s), 'Hello');
    sockets.push(chat.socket);
    await s.settle();
    const n = 20;
    const began = Date.now();
    const statements = await log.during(async () => {
      for (let i = 1; i <= n; i++) {
        const sent = await call(chat.socket, 'message:send', {
          conversationId: chat.conversationId,
          clientId: `wake-${i}`,
          body: `Line ${i}`,
        });
        expect(sent.ok).toBe(true);
        // Each message dispatched on its own (a batch of several would wake a worker once anyway).
        await s.settle();
      }
    });
    const elapsed = Date.now() - began;
    const mailPolls = statements.filter((q) =>
      /from "email_messages" where "direction" = \$1 and "status" = \$2 and "next_attempt_at" <= \$3 limit/.test(q),
    );
    const webhookPolls = statements.filter((q) => /from "webhook_deliveries" as "d"/.test(q));
    // Their own rounds (test settings: mail every 500 ms, webhooks every 200 ms), not one per message.
    expect(mailPolls.length).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 2);
    expect(webhookPolls.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    expect(mailPolls.length + webhookPolls.length).toBeLessThan(n);
  });
});
