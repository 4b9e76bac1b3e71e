import { AppError } from '@autocrm/shared';

// Keyset cursors: the last row's sort key and id, base64url-encoded JSON. Never an offset.

export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number | null)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    ) {
      return values;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_cursor', 'cursor: not a cursor returned by this list', [{ path: 'cursor', message: 'invalid' }]);
}

export function cursorDate(value: string | number | null | undefined): Date {
  const d = new Date(String(value));
  if (value === null || value === undefined || Number.isNaN(d.getTime())) {
    throw new AppError('invalid_cursor', 'cursor: not a cursor returned by this list', [{ path: 'cursor', message: 'invalid' }]);
  }
  return d;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function cursorUuid(value: string | number | null | undefined): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new AppError('invalid_cursor', 'cursor: not a cursor returned by this list', [{ path: 'cursor', message: 'invalid' }]);
  }
  return value;
}
