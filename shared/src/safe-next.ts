// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BASE = 'http://next.invalid';

/**
 * Where to go after signing in: only a relative path on our own origin. Browsers read `/\evil`,
 * `/<tab>/evil` and `//evil` as another host, and `%2F`/`%5C`/`%09` forms decode to those, so a
 * value with a backslash or control character in any decoding is refused, and what is left must
 * resolve to our origin. Anything else gets the fallback.
 */
export function safeNext(next: string | null | undefined, fallback = '/inbox'): string {
  if (!next || next.length > 2048 || !next.startsWith('/') || next.startsWith('//')) return fallback;
  let decoded = next;
  for (let i = 0; i < 4; i++) {
    if (UNSAFE.test(decoded) || decoded.startsWith('//')) return fallback;
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (once === decoded) break;
    decoded = once;
  }
  if (UNSAFE.test(decoded) || decoded.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
