import { rooms } from '@autocrm/shared';
import type { ChannelModule } from '../channel';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { queueSmsReplies } from './queue-sms';
import { SmsSender } from './send-worker';
import { smsRoutes } from './sms-routes';

/**
 * SMS through Twilio: texts in through a signed webhook per inbox (POST /api/v1/channels/twilio/{inbox}/sms),
 * agents' and the bot's replies out through Twilio's Messages API, delivery states back through the
 * status callback, shown per message in the room.
 */
export const smsChannel: ChannelModule = {
  name: 'sms',
  routes: smsRoutes,
  async start({ deps, publicBaseUrl }) {
    const { db, config, logger } = deps;
    const box = new SecretBox(await loadChannelSecret(db));
    const roundMs = Math.min(Math.max(config.OUTBOX_POLL_MS * 10, 500), 5000);
    const sender = new SmsSender(
      {
        db,
        config,
        logger,
        box,
        publicBaseUrl,
        onStatus: (e) =>
          deps.realtime?.io.of('/agent').to(rooms.conversation(e.conversationId)).to(rooms.supervisors).emit('channel:status', e),
      },
      roundMs,
    );
    return {
      listeners: [queueSmsReplies({ onQueued: () => sender.poke() })],
      ports: {},
      start: () => sender.start(),
      close: () => sender.stop(),
    };
  },
};
