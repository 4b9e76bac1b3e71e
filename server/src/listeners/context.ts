import type { Logger } from 'pino';
import type { Clock } from '../domain/routing/clock';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';

/** What a listener may use. Realtime is attached after the HTTP server listens, so it is read lazily. */
export interface ListenerContext {
  db: Db;
  logger: Logger;
  clock: Clock;
  realtime: () => Realtime | undefined;
}
