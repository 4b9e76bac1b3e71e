import adapter from '@sveltejs/adapter-node';

/** The agent workspace: built with adapter-node and mounted into the server's Hono app (one port). */
export default {
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    // Form actions are same-origin posts; the origin check stays on.
    csrf: { trustedOrigins: [] },
    // The workspace renders stored (sanitized) HTML: a script that slipped through still may not run.
    // SvelteKit puts a fresh nonce on its own inline hydration script per response ('auto': nonces for
    // rendered pages, hashes for prerendered ones). Styles stay 'unsafe-inline': components set style
    // attributes, and a style cannot run code. Sockets and /collab are same-origin ('self' covers ws:).
    // Uploads served from a separate UPLOADS_ORIGIN are added to img-src at run time (hooks.server.ts).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};
