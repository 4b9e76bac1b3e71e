import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

// The sign-in page's `next`: every form a browser would read as another host falls back to /inbox.
describe('safeNext', () => {
  it('keeps same-origin relative paths', () => {
    for (const ok of ['/inbox', '/inbox/abc?x=1#m', '/settings/routing', '/help/en/articles/a%20b', '/a/b/../c']) {
      expect(safeNext(ok)).toBe(new URL(ok, 'http://x').pathname + new URL(ok, 'http://x').search + new URL(ok, 'http://x').hash);
    }
  });

  it('refuses everything that can leave the origin', () => {
    const bad = [
      null,
      '',
      'inbox',
      'https://evil.example/x',
      '//evil.example/x',
      '///evil.example/x',
      '/\\evil.example/x',
      '\\\\evil.example/x',
      '/\\/evil.example',
      '/\t/evil.example/x',
      '/\n/evil.example',
      '/\r/evil.example',
      '/%09/evil.example/x',
      '/%0a/evil.example',
      '/%5cevil.example/x',
      '/%5Cevil.example/x',
      '/%2f/evil.example/x',
      '/%2F%2Fevil.example',
      '/%252f/evil.example',
      '/%255cevil.example',
      '/%E2%80%A8/evil',
      '/\u0000/evil.example',
      '/%00',
      '/%',
      '/%zz',
      ' /inbox',
      'javascript:alert(1)',
      '/javascript:alert(1)'.replace('/', '\\'),
      `/${'a'.repeat(3000)}`,
    ];
    for (const b of bad) expect(safeNext(b), JSON.stringify(b)).toBe('/inbox');
  });
});
