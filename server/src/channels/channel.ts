import type { App, AppDeps } from '../http/context';
import type { RunningChannel } from './running';

export type { RunningChannel } from './running';

/** What a channel gets to start with: the app's dependencies and where the app is reachable. */
export interface ChannelContext {
  deps: AppDeps;
  publicBaseUrl: () => string;
}

/**
 * A channel (email, SMS, WhatsApp …): an inbound adapter that turns what arrives into the domain's
 * commands, listeners that turn domain events into the channel's messages, and its HTTP routes.
 * Adding one is a folder under channels/ and one line in channels/index.ts.
 */
export interface ChannelModule {
  name: string;
  routes?(api: App, deps: AppDeps): void;
  start(ctx: ChannelContext): Promise<RunningChannel>;
}
