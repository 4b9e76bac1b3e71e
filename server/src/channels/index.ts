import type { App, AppDeps } from '../http/context';
import type { ChannelContext, ChannelModule, RunningChannel } from './channel';
import { emailChannel } from './email';
import { messagingBotRoutes } from './messaging/messaging-bot';
import { messengerChannel } from './messenger';
import type { RunningChannels } from './running';
import { smsChannel } from './sms';
import { whatsAppChannel } from './whatsapp';

/** The one list of channels: routes, listeners and background work all come from here. */
const CHANNELS: ChannelModule[] = [emailChannel, smsChannel, whatsAppChannel, messengerChannel];

export function channelRoutes(api: App, deps: AppDeps): void {
  for (const ch of CHANNELS) ch.routes?.(api, deps);
  // Shared by the messaging channels (SMS, WhatsApp, Messenger): the bot's switch per inbox.
  messagingBotRoutes(api, deps.db);
}

export type { RunningChannels } from './running';

/** Starts every channel and registers its listeners with the relay (before the relay starts). */
export async function startChannels(ctx: ChannelContext): Promise<RunningChannels> {
  const running = new Map<string, RunningChannel>();
  try {
    for (const ch of CHANNELS) {
      const r = await ch.start(ctx);
      for (const l of r.listeners) ctx.deps.relay.register(l);
      running.set(ch.name, r);
    }
  } catch (err) {
    for (const r of running.values()) await r.close().catch(() => undefined);
    throw err;
  }
  for (const r of running.values()) r.start();
  return {
    get: (name) => running.get(name),
    async close() {
      for (const r of [...running.values()].reverse()) await r.close();
    },
  };
}
