import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// `npm run lint:api` (a CI step): the live OpenAPI document through two third-party linters, Spectral
// (`spectral:oas`, failing on warnings too) and Redocly (recommended rules). Both must be clean.
const { startServer } = await import('../server/src/server');
const running = await startServer({
  env: { PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'silent' },
  dataDir: 'memory://',
});
const dir = await mkdtemp(path.join(tmpdir(), 'autocrm-lint-api-'));
let failed = false;
try {
  const res = await fetch(`${running.url}/api/v1/openapi.json`);
  if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json: ${res.status}`);
  const file = path.join(dir, 'openapi.json');
  await writeFile(file, await res.text());
  const root = path.resolve(import.meta.dirname, '..');
  const run = (name: string, args: string[]) => {
    try {
      execFileSync('npx', args, { cwd: root, stdio: 'inherit' });
      console.log(`lint:api: ${name} clean`);
    } catch {
      console.error(`lint:api: ${name} found problems`);
      failed = true;
    }
  };
  run('Spectral', ['spectral', 'lint', '--ruleset', '.spectral.yaml', '--fail-severity', 'warn', file]);
  run('Redocly', ['redocly', 'lint', '--format', 'stylish', file]);
} finally {
  await running.close();
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
