import { AppError } from '@autocrm/shared';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a parsed JSON payload with a `__proto__`, `constructor` or `prototype` key at any depth.
 * Schemas would drop such a key from a record field silently (the caller got 200 and lost data) and
 * code that merges records could be tricked by it; a clear 400 tells the sender instead.
 */
export function assertNoPrototypeKeys(value: unknown): void {
  // A loop, not recursion: a hostile body may nest thousands of levels deep.
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const k of Object.keys(v)) {
      const at = [...path, k];
      if (!Array.isArray(v) && FORBIDDEN.has(k)) {
        const where = at.join('.');
        throw new AppError('validation_failed', `${where}: this key name is not allowed`, [
          { path: where, message: 'this key name is not allowed' },
        ]);
      }
      // Paths of very deep bodies are cut short; the key name is what matters.
      stack.push({ value: (v as Record<string, unknown>)[k], path: at.length > 20 ? path : at });
    }
  }
}
