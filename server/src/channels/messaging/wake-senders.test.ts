import type { DomainEvent } from '@autocrm/shared';
import { describe, expect, it } from 'vitest';
import { queueMessengerReplies, TAGGED_CLIENT_PREFIX } from '../messenger/queue-messenger';
import { queueSmsReplies } from '../sms/queue-sms';
import { queueWhatsAppReplies, TEMPLATE_CLIENT_PREFIX } from '../whatsapp/queue-whatsapp';

// A messaging channel's sender is woken by its outbound listener once a `message.created` of its own
// rooms is committed, on the process that dispatches the event. WhatsApp templates and Messenger tagged
// replies queue their rows themselves, but their message is created like any other, so they wake the
// sender the same way (no hook from the route that only the process, and the app, that served it has).
// A message of another channel's room costs no sender a query.

const created = (channel: string, clientId: string | null = null) =>
  ({
    id: 1,
    type: 'message.created',
    occurredAt: new Date().toISOString(),
    data: { conversation: { channel }, message: { clientId, authorKind: 'agent', private: false } },
  }) as unknown as DomainEvent;

describe('messaging senders are woken by their own rooms’ messages', () => {
  for (const [channel, make, ownClientId] of [
    ['sms', queueSmsReplies, null],
    ['whatsapp', queueWhatsAppReplies, `${TEMPLATE_CLIENT_PREFIX}x`],
    ['messenger', queueMessengerReplies, `${TAGGED_CLIENT_PREFIX}x`],
  ] as const) {
    it(channel, async () => {
      let pokes = 0;
      const listener = make({
        onQueued: () => {
          pokes += 1;
        },
      });
      await listener.afterCommit?.(created(channel));
      expect(pokes).toBe(1);
      // The template or tagged reply a route queued in the message's own transaction.
      await listener.afterCommit?.(created(channel, ownClientId));
      expect(pokes).toBe(2);
      for (const other of ['web', 'email', 'sms', 'whatsapp', 'messenger'].filter((c) => c !== channel))
        await listener.afterCommit?.(created(other));
      expect(pokes).toBe(2);
    });
  }
});
