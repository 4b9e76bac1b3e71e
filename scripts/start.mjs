// `npm start`. In production (NODE_ENV=production) it runs what `npm run build` compiled, builds nothing
// and needs no dev dependency; a missing build is an error that says what to run. In development it
// keeps the fresh-clone convenience: build the workspace and the widget when their sources changed
// (printing progress), then run the TypeScript sources through tsx.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);

if (process.env.NODE_ENV === 'production') {
  const needed = ['dist/server.js', 'web/build/handler.js', 'widget/dist/manifest.json'];
  const missing = needed.filter((p) => !existsSync(at(p)));
  if (missing.length) {
    console.error(`NODE_ENV=production needs a build (missing: ${missing.join(', ')}). Run \`npm run build\` first.`);
    process.exit(1);
  }
  await import(pathToFileURL(at('dist/server.js')).href);
} else {
  execFileSync(process.execPath, [at('scripts/ensure-web-build.mjs')], { stdio: 'inherit' });
  if (!existsSync(at('widget/dist/manifest.json'))) console.log('widget/dist is missing: building the widget');
  execFileSync(process.execPath, [at('widget/build.mjs')], { stdio: existsSync(at('widget/dist')) ? 'ignore' : 'inherit' });
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(at('server/src/main.ts')).href);
}
