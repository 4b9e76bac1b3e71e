import type { EventListener } from '../events/listener';
import type { App, AppDeps } from '../http/context';

/** What a channel gets to start with: the app's dependencies and where the app is reachable. */
export interface ChannelContext {
  deps: AppDeps;
  publicBaseUrl: () => string;
}

export interface RunningChannel {
  /** Reactions to domain events (e.g. outbound on `message.created`), registered with the relay. */
  listeners: EventListener[];
  /** Ports the channel listens on (e.g. `smtp`), for the start banner and tests. */
  ports: Record<string, number>;
  /** Starts background work once the relay runs. */
  start(): void;
  close(): Promise<void>;
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
