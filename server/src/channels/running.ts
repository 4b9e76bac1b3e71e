import type { EventListener } from '../events/listener';

// What a started channel exposes; apart from channel.ts so that the app's dependencies can name it
// without importing the channel contract back (which needs those dependencies).

export interface RunningChannel {
  /** Reactions to domain events (e.g. outbound on `message.created`), registered with the relay. */
  listeners: EventListener[];
  /** Ports the channel listens on (e.g. `smtp`), for the start banner and tests. */
  ports: Record<string, number>;
  /** Starts background work once the relay runs. */
  start(): void;
  close(): Promise<void>;
}

export interface RunningChannels {
  get(name: string): RunningChannel | undefined;
  close(): Promise<void>;
}
