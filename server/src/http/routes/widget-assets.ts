import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hono } from 'hono';
import { demoWebInbox } from '../../domain/widget/demo-inbox';
import { rootDir } from '../../paths';
import type { AppDeps, AppEnv } from '../context';

const widgetDir = path.join(rootDir, 'widget');
const dist = path.join(widgetDir, 'dist');

let building: Promise<void> | undefined;
/** A fresh clone has no widget/dist: build it once, on first request (npm start also builds it first). */
function ensureBuilt(): Promise<void> {
  building ??= readFile(path.join(dist, 'manifest.json'))
    .then(() => undefined)
    .catch(async () => {
      const { buildWidget } = await import(/* @vite-ignore */ pathToFileURL(path.join(widgetDir, 'build.mjs')).href);
      await buildWidget({ quiet: true });
    })
    .catch((err) => {
      building = undefined;
      throw err;
    });
  return building;
}

/**
 * The widget's scripts and the /demo page. The scripts run on customers' sites: CORS open, never
 * credentialed, readable cross-origin (the app and help view are module scripts, fetched with CORS). The
 * loader is cached briefly (so a new release reaches sites within minutes); the app and help files are
 * named by their content hash and cached for a year.
 */
export function widgetAssetRoutes(app: Hono<AppEnv>, { db, config }: AppDeps) {
  const script = async (file: string, cache: string, type = 'text/javascript; charset=utf-8') => {
    await ensureBuilt();
    const body = await readFile(path.join(dist, file)).catch(() => undefined);
    if (!body) return undefined;
    return new Response(body, {
      headers: {
        'content-type': type,
        'cache-control': cache,
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      },
    });
  };
  app.get('/widget.js', async (c) => (await script('widget.js', 'public, max-age=300')) ?? c.notFound());
  // The push service worker, imported by a site's own worker (or registered by the widget on our origin).
  app.get('/widget/sw.js', async (c) => (await script('sw.js', 'public, max-age=300')) ?? c.notFound());
  // A language's strings, fetched by the widget when it does not speak English (cached like the loader).
  app.get('/widget/i18n/:file{[a-z]{2}\\.json}', async (c) => {
    const res = await script(`i18n/${c.req.param('file')}`, 'public, max-age=300', 'application/json; charset=utf-8');
    return res ?? c.notFound();
  });
  // The app and its help view (a module the app imports on first use), both named by the same content hash.
  app.get('/widget/:file{(?:app|help)\\.[0-9a-f]+\\.js}', async (c) => {
    const res = await script(c.req.param('file'), 'public, max-age=31536000, immutable');
    return res ?? c.notFound();
  });

  app.get('/demo', async (c) => {
    if (config.DEMO_PAGE !== 'true') return c.notFound();
    // The demo workspace's web inbox, read now (a fresh start creates it after this module loads).
    const inbox = await demoWebInbox(db);
    if (!inbox?.website_token) return c.text('No web inbox yet: create one under /api/v1/inboxes (channel "web").', 404);
    const boot = JSON.stringify({ websiteToken: inbox.website_token }).replace(/</g, '\\u003c');
    c.header('Cache-Control', 'no-store');
    // The page's own inline script and style carry a fresh nonce; the widget's files come from 'self'
    // (a host page that sets a CSP allows our origin the same way). Uploads may live on UPLOADS_ORIGIN.
    const nonce = randomBytes(16).toString('base64');
    const uploads = config.UPLOADS_ORIGIN ? ` ${new URL(config.UPLOADS_ORIGIN).origin}` : '';
    c.header(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
        `img-src 'self' data: blob:${uploads}; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    return c.html(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AutoCRM widget demo</title>
<style nonce="${nonce}">
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 760px; margin: 40px auto; padding: 0 20px; color: #1f2937; }
  code, pre { background: #f3f4f6; border-radius: 6px; padding: 2px 6px; }
  pre { padding: 12px; overflow-x: auto; }
</style>
</head>
<body>
<main>
<h1>AutoCRM chat widget demo</h1>
<p>This page embeds the chat widget of the demo inbox <strong>${inbox.name.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)}</strong>.
Open the launcher at the bottom right and say hello; sign in to the workspace as the demo agent to answer.</p>
<p>Your site embeds it with:</p>
<pre><code>&lt;script&gt;
  (function (w, d) {
    w.AutoCRM = w.AutoCRM || function () { (w.AutoCRM.q = w.AutoCRM.q || []).push(arguments); };
    var s = d.createElement('script'); s.async = true; s.src = '${new URL(c.req.url).origin}/widget.js';
    d.head.appendChild(s);
  })(window, document);
  AutoCRM('boot', ${boot.replace(/"/g, '&quot;')});
&lt;/script&gt;</code></pre>
</main>
<script nonce="${nonce}">
  (function (w, d) {
    w.AutoCRM = w.AutoCRM || function () { (w.AutoCRM.q = w.AutoCRM.q || []).push(arguments); };
    var s = d.createElement('script'); s.async = true; s.src = '/widget.js';
    d.head.appendChild(s);
  })(window, document);
  AutoCRM('boot', ${boot});
</script>
</body>
</html>`);
  });
}
