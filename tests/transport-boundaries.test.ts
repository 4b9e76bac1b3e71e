import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 12: a transport (HTTP routes, socket handlers, collab, channels) calls domain commands; the
// commands' events wake the background loops through listeners. No transport reaches a worker or a
// listener itself. Biome refuses such an import too (biome.json; scripts/check-import-boundaries.sh
// plants one); this test also catches a wake-up call written without an import (through a dependency).

const root = resolve(__dirname, '..');
const TRANSPORTS = ['http', 'realtime', 'collab', 'channels'].map((d) => join(root, 'server/src', d));
const FORBIDDEN = ['workers', 'listeners'].map((d) => join(root, 'server/src', d));

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });

const importsOf = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

describe('transports never reach workers or listeners', () => {
  const files = TRANSPORTS.flatMap(sources);

  it('finds the transport sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('no transport imports from server/src/workers or server/src/listeners', () => {
    const offending = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => resolve(dirname(file), spec))
        .filter((target) => FORBIDDEN.some((dir) => target === dir || target.startsWith(`${dir}/`)))
        .map((target) => `${relative(root, file)} -> ${relative(root, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it('no route, socket or collab handler wakes a loop by hand', () => {
    // Channels run their own sender loops (channels/<name>/), so only the request transports are checked.
    const handlers = files.filter((f) => !f.includes('/server/src/channels/'));
    const offending = handlers.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => /\.(poke|requestBackfill|wantBackfill|runOnce)\(|deps\.workers\b/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  it('no route reaches into the realtime layer', () => {
    // A route reads ports (deps.presence) and its commands' events reach sockets through listeners/.
    const routes = files.filter((f) => f.includes('/server/src/http/'));
    const offending = routes.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => /\bdeps\.realtime\b|\brealtime\??\.(agents|widget|io|presence|redisStatus)\b/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});
