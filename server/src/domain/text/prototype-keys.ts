import { AppError } from '@autocrm/shared';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a parsed JSON payload with a `__proto__`, `constructor` or `prototype` key at any depth.
 * Schemas would drop such a key from a record field silently (the caller got 200 and lost data) and
 * code that merges records could be tricked by it; a clear 400 tells the sender instead.
 */
export function assertNoPrototypeKeys(value: unknown, path: string[] = []): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertNoPrototypeKeys(v, [...path, String(i)]);
  } else if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      const at = [...path, k];
      if (FORBIDDEN.has(k)) {
        const where = at.join('.');
        throw new AppError('validation_failed', `${where}: this key name is not allowed`, [
          { path: where, message: 'this key name is not allowed' },
        ]);
      }
      assertNoPrototypeKeys((value as Record<string, unknown>)[k], at);
    }
  }
}
