// Builds the workspace (web/build) when it is missing or older than its sources, so `npm start` and
// `npm test` work from a fresh clone without a separate build step.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'web/build/handler.js');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = ['web/src', 'web/svelte.config.js', 'web/vite.config.ts', 'web/package.json', 'shared/src'].map((p) =>
  join(root, p),
);
const built = existsSync(out) ? statSync(out).mtimeMs : 0;
const changed = Math.max(...sources.filter((p) => existsSync(p)).map(newest));
if (built >= changed && process.argv[2] !== '--force') process.exit(0);
console.log(
  `${built ? 'web/: sources changed, rebuilding the workspace' : 'web/build is missing: building the workspace'} (once; 1–5 minutes on a busy machine)…`,
);
const started = Date.now();
execSync('npm run build -w @autocrm/web', { cwd: root, stdio: 'inherit' });
console.log(`workspace built in ${Math.round((Date.now() - started) / 1000)} s`);
