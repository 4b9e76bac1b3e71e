import {
  type Ack,
  AppError,
  type ClientAckResult,
  type ClientEventName,
  clientEvents,
  type ValidClientPayload,
} from '@autocrm/shared';
import type { Logger } from 'pino';
import { assertNoPrototypeKeys } from '../domain/text/prototype-keys';
import { assertStorableText } from '../domain/text/storable-text';
import { databaseUnavailable, isConnectionError, isTransientConflict, transientConflict } from '../storage/db-unavailable';
import type { IoSocket } from './types';

export const GARBAGE_LIMIT = 10;
const GARBAGE_WINDOW_MS = 10_000;

/**
 * Counts a bad frame against the socket; a client that keeps sending garbage (GARBAGE_LIMIT bad frames
 * within 10 s) is told why and disconnected. A single mistake only costs an error ack.
 */
export function strike(socket: IoSocket): void {
  const now = Date.now();
  const recent = socket.data.strikes.filter((t) => now - t < GARBAGE_WINDOW_MS);
  recent.push(now);
  socket.data.strikes = recent;
  if (recent.length >= GARBAGE_LIMIT) {
    socket.emit('session:ended', { code: 'validation_failed', message: 'too many malformed frames' });
    socket.disconnect(true);
  }
}

function errorAck(err: unknown, logger: Logger): Extract<Ack, { ok: false }> {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
  if (isConnectionError(err)) {
    const e = databaseUnavailable();
    return { ok: false, error: { code: e.code, message: e.message } };
  }
  if (isTransientConflict(err)) {
    const e = transientConflict();
    return { ok: false, error: { code: e.code, message: e.message } };
  }
  logger.error({ err }, 'socket handler failed');
  return { ok: false, error: { code: 'internal', message: 'something went wrong on our side' } };
}

/**
 * Registers the handler of one event of the shared map (`clientEvents`): validates the payload with the
 * map's schema, never throws into Socket.IO, and always answers the ack (when the client sent one) with
 * `{ok: true, ...}` (typed by the map) or a coded error.
 */
export function handle<E extends ClientEventName>(
  socket: IoSocket,
  event: E,
  logger: Logger,
  handler: (payload: ValidClientPayload<E>) => Promise<ClientAckResult<E>> | ClientAckResult<E>,
): void {
  type R = ClientAckResult<E>;
  const schema = clientEvents[event].payload;
  // Handlers shared by both namespaces register only where the event is declared: elsewhere it stays unknown.
  const namespace = (socket as unknown as { nsp: { name: string } }).nsp.name.slice(1);
  if (!(clientEvents[event].namespaces as readonly string[]).includes(namespace)) return;
  (socket as unknown as { on(e: string, l: (...args: unknown[]) => void): void }).on(event, async (...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (r: Ack<R> | Ack) => void) : undefined;
    const payload = ack ? args.slice(0, -1)[0] : args[0];
    try {
      assertNoPrototypeKeys(payload);
    } catch (err) {
      strike(socket);
      ack?.(errorAck(err, logger));
      return;
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      strike(socket);
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
      ack?.({ ok: false, error: { code: 'validation_failed', message } });
      return;
    }
    try {
      assertStorableText(parsed.data);
      const result = await handler(parsed.data as ValidClientPayload<E>);
      ack?.({ ok: true, ...result });
    } catch (err) {
      ack?.(errorAck(err, logger));
    }
  });
}
