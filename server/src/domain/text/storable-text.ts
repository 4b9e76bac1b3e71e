import { AppError } from '@autocrm/shared';

// NUL cannot be stored in Postgres text or jsonb, and an unpaired UTF-16 surrogate cannot be encoded.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Refuses validated input holding text the database cannot store, naming the field (keys included). */
export function assertStorableText(value: unknown, path: string[] = []): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) {
      const at = path.join('.') || '(body)';
      const message = 'must not contain NUL characters or unpaired surrogates';
      throw new AppError('validation_failed', `${at}: ${message}`, [{ path: at, message }]);
    }
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertStorableText(v, [...path, String(i)]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assertStorableText(k, [...path, k]);
      assertStorableText(v, [...path, k]);
    }
  }
}
