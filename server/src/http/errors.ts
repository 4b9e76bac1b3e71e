import { AppError, type ErrorBody } from '@autocrm/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';
import { databaseUnavailable, isConnectionError, isTransientConflict, transientConflict } from '../storage/db-unavailable';
import type { AppEnv } from './context';

/** Zod issues as field paths a person can act on: `customFields.plan: Invalid input`. */
export function fromZod(error: ZodError, prefix = ''): AppError {
  const issues = error.issues.flatMap((i) => {
    const at = (...extra: string[]) => [prefix, ...i.path.map(String), ...extra].filter(Boolean).join('.') || '(body)';
    // An unknown field is named by its own path (`message.evil`), one issue per field.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: at(k), message: 'unknown field' }));
    return [{ path: at(), message: i.message }];
  });
  return new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

// The one place errors become responses: stable code, readable message, request id, never a stack.
export function toErrorResponse(err: unknown, c: Context<AppEnv>, logger: Logger) {
  const requestId = c.get('requestId');
  let appError: AppError;
  if (err instanceof AppError) appError = err;
  else if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) appError = new AppError('payload_too_large', 'request body is too large');
    else if (status === 415) appError = new AppError('unsupported_media_type', 'send the body as application/json');
    else if (status === 400 && /json/i.test(err.message))
      appError = new AppError('invalid_json', 'request body is not valid JSON');
    else if (status === 401) appError = new AppError('unauthenticated', err.message || 'sign in or send an API key');
    else appError = new AppError(status >= 500 ? 'internal' : 'validation_failed', err.message || 'bad request');
  } else if (isConnectionError(err)) {
    appError = databaseUnavailable();
  } else if (isTransientConflict(err)) {
    logger.warn({ err, requestId }, 'transaction aborted by a deadlock or serialization failure');
    appError = transientConflict();
  } else if (isPgError(err) && err.code === '23505') {
    appError = new AppError('conflict', 'a record with these values already exists');
  } else {
    logger.error({ err, requestId }, 'unhandled error');
    appError = new AppError('internal', 'something went wrong on our side');
  }
  const body: ErrorBody = appError.toBody(requestId);
  // The unread rest of an oversized body would poison a kept-alive connection: close it after answering.
  if (appError.code === 'payload_too_large') c.header('Connection', 'close');
  if (appError.code === 'unavailable') c.header('Retry-After', '2');
  return c.json(body, appError.status as ContentfulStatusCode);
}

function isPgError(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}
