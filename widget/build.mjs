// Builds the widget: dist/app.<hash>.js (the Lit element, loaded on demand) and dist/widget.js (the
// loader sites embed, which knows the app's hashed path). Prints minified+gzipped sizes and fails when
// a file is over budget. `node widget/build.mjs` or `npm run build:widget`; the server also runs it at
// start when dist/ is missing.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
export const BUDGET = { loader: 3 * 1024, app: 30 * 1024, help: 6 * 1024 };

const common = { bundle: true, minify: true, format: 'iife', target: ['es2020'], write: false, legalComments: 'none' };

/**
 * esbuild leaves template literals as written, and the widget's markup (html``) and styles (css``) are
 * template literals: their indentation and the stylesheet's comments and spaces would ship. A line's
 * leading blanks are never meaningful in our templates (no <pre>, and the pre-wrap message text is
 * always a single interpolation), so they go; the stylesheet is squeezed like a CSS minifier would.
 */
const squeezeTemplates = {
  name: 'squeeze-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]widget[\\/]src[\\/].*\.ts$/ }, async (args) => {
      let code = (await readFile(args.path, 'utf8')).replace(/\n[ \t]+/g, '\n');
      code = code.replace(/css`([^`]*)`/g, (_, body) => {
        const min = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};:,>])\s*/g, '$1')
          .trim();
        return `css\`${min}\``;
      });
      return { contents: code, loader: 'ts' };
    });
  },
};

/** socket.io-client's engine and the parser's binary support, replaced by the widget's own (widget/shims/ say why). */
const websocketEngine = {
  name: 'websocket-engine',
  setup(build) {
    build.onResolve({ filter: /^engine\.io-client$/ }, () => ({ path: path.join(here, 'shims/engine-websocket.js') }));
    build.onResolve({ filter: /^\.\/(binary|is-binary)\.js$/ }, (args) =>
      /[\\/]socket\.io-parser[\\/]/.test(args.importer) ? { path: path.join(here, 'shims/socket-io-json-only.js') } : undefined,
    );
  },
};

/** help.ts's imports that the app provides (src/help-exports.ts): they resolve to the app file, not bundled again. */
const APP_PLACEHOLDER = './app.__APP_HASH__.js';
const fromApp = {
  name: 'help-from-app',
  setup(build) {
    build.onResolve({ filter: /^(lit|\.\/i18n|\.\/render|\.\/rich)$/ }, (args) =>
      args.importer.endsWith(`${path.sep}help.ts`) ? { path: APP_PLACEHOLDER, external: true } : undefined,
    );
  },
};

export async function buildWidget({ quiet = false } = {}) {
  // ES modules (the loader adds the app as a module script): the help view is a second module, fetched
  // on first use, that imports Lit and the renderers from the app instead of carrying its own copies.
  const app = await esbuild.build({
    ...common,
    format: 'esm',
    entryPoints: [path.join(here, 'src/app.ts')],
    plugins: [squeezeTemplates, websocketEngine],
    // socket.io-client's debug logging is dead weight in the widget.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const help = await esbuild.build({
    ...common,
    format: 'esm',
    entryPoints: [path.join(here, 'src/help.ts')],
    plugins: [squeezeTemplates, fromApp],
    metafile: true,
  });
  const bundled = Object.keys(help.metafile.inputs).filter((f) => !f.endsWith('src/help.ts'));
  if (bundled.length)
    throw new Error(`widget help view bundles ${bundled.join(', ')}: export it from src/help-exports.ts and map it in fromApp`);
  const appCode = app.outputFiles[0].contents;
  // One hash for both files: the help module names the app file it imports, and the app finds it by that hash.
  const hash = createHash('sha256').update(appCode).update(help.outputFiles[0].contents).digest('hex').slice(0, 12);
  const appFile = `app.${hash}.js`;
  const helpFile = `help.${hash}.js`;
  const helpCode = Buffer.from(help.outputFiles[0].text.replaceAll(APP_PLACEHOLDER, `./${appFile}`));
  const loader = await esbuild.build({
    ...common,
    entryPoints: [path.join(here, 'src/loader.ts')],
    define: { __APP_PATH__: JSON.stringify(`/widget/${appFile}`) },
  });
  const loaderCode = loader.outputFiles[0].contents;

  const sizes = {
    loader: { file: 'widget.js', raw: loaderCode.length, gz: gzipSync(loaderCode, { level: 9 }).length },
    app: { file: appFile, raw: appCode.length, gz: gzipSync(appCode, { level: 9 }).length },
    help: { file: helpFile, raw: helpCode.length, gz: gzipSync(helpCode, { level: 9 }).length },
  };
  const over = [];
  for (const [name, s] of Object.entries(sizes)) {
    const budget = BUDGET[name];
    if (!quiet)
      console.log(
        `widget ${name.padEnd(6)} ${s.file.padEnd(22)} ${(s.raw / 1024).toFixed(1).padStart(6)} KB min  ${(s.gz / 1024).toFixed(2).padStart(6)} KB gz  (budget ${budget / 1024} KB gz)`,
      );
    if (s.gz > budget) over.push(`${name} is ${s.gz} bytes gzipped, over its ${budget} byte budget`);
  }
  if (over.length) throw new Error(`widget over budget: ${over.join('; ')}`);
  await mkdir(dist, { recursive: true });
  for (const f of await readdir(dist))
    if (/^(app|help)\.[0-9a-f]+\.js$/.test(f) && f !== appFile && f !== helpFile) await rm(path.join(dist, f));
  await writeFile(path.join(dist, appFile), appCode);
  await writeFile(path.join(dist, helpFile), helpCode);
  // The push service worker sites import (static/sw.js): served from dist/ like the rest, so a production
  // image that carries only widget/dist has it.
  await copyFile(path.join(here, 'static/sw.js'), path.join(dist, 'sw.js'));
  await writeFile(path.join(dist, 'widget.js'), loaderCode);
  // Every language but English as its own file, fetched by the widget only when it speaks that language.
  const dictionaries = await esbuild.build({
    entryPoints: [path.join(here, 'src/dictionaries.ts')],
    bundle: true,
    format: 'esm',
    write: false,
  });
  const { DICTIONARIES } = await import(
    `data:text/javascript;base64,${Buffer.from(dictionaries.outputFiles[0].contents).toString('base64')}`
  );
  await mkdir(path.join(dist, 'i18n'), { recursive: true });
  for (const [locale, strings] of Object.entries(DICTIONARIES))
    await writeFile(path.join(dist, 'i18n', `${locale}.json`), JSON.stringify(strings));
  await writeFile(
    path.join(dist, 'manifest.json'),
    JSON.stringify({ app: appFile, help: helpFile, sizes, locales: Object.keys(DICTIONARIES) }, null, 2),
  );
  return { appFile, sizes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWidget().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
