/**
 * /widget.js: the tiny loader a site embeds. It keeps the page's calls in a queue and fetches the
 * widget itself (/widget/app.js, content-hashed, cached for a year) only once `boot` is called.
 */
declare const __APP_PATH__: string;

interface Stub {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  l?: boolean;
}

(() => {
  const w = window as unknown as { AutoCRM?: Stub; AutoCRMSettings?: { websiteToken?: string } };
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = new URL(script?.src ?? '/', location.href).origin;
  if (w.AutoCRM?.l) return; // loaded twice: the first one stays
  // Calls the snippet's stub queued before we arrived stay in the same queue, in order.
  const q: ArrayLike<unknown>[] = w.AutoCRM?.q ?? [];
  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    const s = document.createElement('script');
    // A module, so that the help view can be fetched later as one (it shares Lit with the app).
    s.type = 'module';
    s.src = origin + __APP_PATH__;
    document.head.appendChild(s);
  };
  const stub: Stub = (...args: unknown[]) => {
    q.push(args);
    if (args[0] === 'boot') load();
  };
  stub.q = q;
  stub.l = true;
  w.AutoCRM = stub;
  if (Array.from(q).some((c) => c[0] === 'boot')) load();
  // Zero-code embed: <script src=".../widget.js" data-website-token="wt_..."></script>
  const token = script?.dataset.websiteToken ?? w.AutoCRMSettings?.websiteToken;
  if (token) stub('boot', { websiteToken: token });
})();
