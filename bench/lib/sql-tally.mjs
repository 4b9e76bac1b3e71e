/**
 * Preloaded into a server with BENCH_PROFILE=sql (node --import): counts every SQL statement and the time
 * until its result, by statement text, and writes the table to bench/results/profiles/sql-<pid>.txt on
 * exit. A CPU profile of a PGlite server shows only "wasm"; this shows which queries that time was.
 * Plain .mjs because it loads before tsx does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const tally = new Map();
const normalize = (sql) =>
  String(sql)
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '?')
    .replace(/\((\?, )+\?\)/g, '(?…)')
    .slice(0, 400);

function wrap(proto) {
  const original = proto.query;
  proto.query = function query(text, ...rest) {
    const started = performance.now();
    const key = normalize(typeof text === 'string' ? text : text?.text);
    const done = () => {
      const entry = tally.get(key) ?? { n: 0, ms: 0 };
      entry.n++;
      entry.ms += performance.now() - started;
      tally.set(key, entry);
    };
    const result = original.call(this, text, ...rest);
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  };
}
wrap(PGlite.prototype);
wrap(pg.Client.prototype);

process.on('exit', () => {
  const rows = [...tally].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((a, [, e]) => a + e.ms, 0);
  const lines = rows.map(
    ([sql, e]) =>
      `${e.ms.toFixed(0).padStart(8)} ms ${String(e.n).padStart(8)}× ${(e.ms / e.n).toFixed(2).padStart(7)} ms  ${sql}`,
  );
  const dir = path.resolve(import.meta.dirname, '../results/profiles');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `sql-${process.pid}.txt`), `total ${total.toFixed(0)} ms\n${lines.join('\n')}\n`);
});
