import adapter from '@sveltejs/adapter-node';

/** The agent workspace: built with adapter-node and mounted into the server's Hono app (one port). */
export default {
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    // Form actions are same-origin posts; the origin check stays on.
    csrf: { trustedOrigins: [] },
  },
};
