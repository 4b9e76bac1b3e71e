// `npm run build`: everything a production start needs, built once, so that `npm start` with
// NODE_ENV=production (or `node dist/server.js`) runs compiled JavaScript, builds nothing and needs no
// dev dependency. Outputs: web/build (the workspace, precompressed), widget/dist, and dist/ (the server,
// its CLIs and the migrations as plain ESM; runtime packages stay external and come from node_modules).
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const step = (what) => console.log(`build: ${what}`);

// Packages a production install has (dependencies of the root and the workspaces) are imported at run
// time; our own workspaces (@autocrm/shared) are TypeScript and get bundled in.
const runtime = new Set();
for (const dir of ['.', 'server', 'shared', 'widget', 'web']) {
  const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  for (const name of Object.keys(pkg.dependencies ?? {})) if (!name.startsWith('@autocrm/')) runtime.add(name);
}
const external = [...runtime].flatMap((name) => [name, `${name}/*`]);

const started = Date.now();
if (!process.argv.includes('--server-only')) {
  step('workspace (web/build)');
  execSync('npm run build -w @autocrm/web', { cwd: root, stdio: 'inherit' });
  step('widget (widget/dist)');
  execSync('node widget/build.mjs', { cwd: root, stdio: 'inherit' });
}

step('server (dist/)');
rmSync(dist, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled code finds the repository root from dist/ (server/src/paths.ts).
  define: { 'process.env.AUTOCRM_BUNDLED': '"1"' },
  // ESM output still meets CommonJS dependencies that call require(): give the bundle one.
  banner: {
    js: "import { createRequire as __autocrmRequire } from 'node:module'; const require = __autocrmRequire(import.meta.url);",
  },
};
await esbuild.build({
  ...common,
  entryPoints: {
    server: path.join(root, 'server/src/main.ts'),
    migrate: path.join(root, 'server/src/cli/migrate.ts'),
    admin: path.join(root, 'server/src/cli/admin.ts'),
  },
  // No code splitting: each entry is one file in dist/, so import.meta.url (and with it the migrations
  // folder and the repository root) is the same for all three.
  outdir: dist,
});
const migrations = readdirSync(path.join(root, 'db/migrations')).filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f));
await esbuild.build({
  ...common,
  entryPoints: migrations.map((f) => path.join(root, 'db/migrations', f)),
  outdir: path.join(dist, 'migrations'),
  sourcemap: false,
});
writeFileSync(
  path.join(dist, 'BUILD.json'),
  JSON.stringify({ builtAt: new Date().toISOString(), node: process.version, migrations: migrations.length }, null, 2),
);
step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s: NODE_ENV=production npm start (or node dist/server.js)`);
