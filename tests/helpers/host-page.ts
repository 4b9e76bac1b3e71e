import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  url: string;
  close(): Promise<void>;
}

/**
 * A customer's website on its own origin that embeds the widget with the README's snippet, under
 * hostile CSS (every element red, 40 px, serif) to prove the widget's isolation. `?boot=<json>` on the
 * page URL is merged into the boot options; `beforeBoot` is script run after the snippet, before boot.
 */
export async function startHostPage(opts: {
  serverUrl: string;
  websiteToken: string;
  title: string;
  beforeBoot?: string;
  /** Other files the site serves (a service worker script, say), by path. */
  files?: Record<string, { type: string; body: string }>;
}): Promise<HostPage> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = opts.files?.[url.pathname];
    if (file) return void res.writeHead(200, { 'content-type': file.type }).end(file.body);
    const boot = { websiteToken: opts.websiteToken, ...JSON.parse(url.searchParams.get('boot') ?? '{}') };
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<style>* { color: red !important; font-size: 40px !important; font-family: serif !important; } button { background: lime !important; }</style>
</head><body><main><h1>A host shop</h1><p>Products and such.</p></main>
<script>
  (function (w, d) {
    w.AutoCRM = w.AutoCRM || function () { (w.AutoCRM.q = w.AutoCRM.q || []).push(arguments); };
    var s = d.createElement('script'); s.async = true; s.src = ${JSON.stringify(`${opts.serverUrl}/widget.js`)};
    d.head.appendChild(s);
  })(window, document);
${opts.beforeBoot ?? ''}
  AutoCRM('boot', ${JSON.stringify(boot).replace(/</g, '\\u003c')});
</script></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
