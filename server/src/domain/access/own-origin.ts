/**
 * Whether a browser request comes from our own site: no Origin (a non-browser client), the public URL's
 * origin, or the Host the request was sent to (http or https). Cookie-authenticated connections that
 * bypass CORS (the agent socket, the collab upgrade) honor the cookie only then, so another site cannot
 * ride an agent's cookie.
 */
export function fromOwnOrigin(props: {
  origin: string | undefined;
  host: string | undefined;
  publicUrl: string | undefined;
}): boolean {
  const { origin, host, publicUrl } = props;
  if (!origin) return true;
  const own = [...(publicUrl ? [new URL(publicUrl).origin] : []), ...(host ? [`http://${host}`, `https://${host}`] : [])];
  return own.includes(origin);
}
