import { AppError } from '@autocrm/shared';

// Errors that mean "the database cannot be reached right now", as opposed to a bad query: socket errors,
// SQLSTATE class 08 (connection exception), the server shutting down (57P0x), a session killed for
// idling in a transaction (25P03), and pg's own connect/read timeouts and "connection ended" messages.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '25P03',
]);
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|Connection ended|not queryable|Client was closed|terminating connection/i;

export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || code.startsWith('08'))) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.test(message);
}

/** A statement cancelled by statement_timeout: the database is there but too slow to answer. */
export function isStatementTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '57014';
}

/** What callers (HTTP 503, socket acks) see: a stable code, never the address or the driver's message. */
export const databaseUnavailable = () =>
  new AppError('unavailable', 'the service is temporarily unavailable, please try again shortly');

/**
 * A deadlock (40P01) or serialization failure (40001): Postgres aborted this transaction so another
 * could finish. Nothing was stored; the same request again succeeds, so callers are told to retry.
 */
export function isTransientConflict(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === '40P01' || code === '40001';
}

export const transientConflict = () =>
  new AppError('unavailable', 'another change to the same records got in the way; nothing was saved, please try again');

/** pg-pool gave up waiting for a client (its connectionTimeoutMillis), in its queue or while connecting. */
export function isPoolWaitTimeout(err: unknown): boolean {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' && /timeout exceeded when trying to connect/i.test(message);
}

/** Every connection was busy for longer than the connect timeout: nothing was done, try again. */
export const databaseBusy = () => new AppError('unavailable', 'the service is busy, please try again shortly');
