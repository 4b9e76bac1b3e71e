export const SESSION_COOKIE = 'autocrm_session';

/** Field errors from an API validation failure, keyed by the first path segment. */
export function fieldErrors(body: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of body?.error?.issues ?? []) {
    const path = Array.isArray(issue.path) ? issue.path.filter((p: unknown) => typeof p === 'string').join('.') : issue.path;
    const key = typeof path === 'string' && path ? path : 'form';
    out[key] ??= issue.message;
  }
  if (!Object.keys(out).length && body?.error?.message) out.form = body.error.message;
  return out;
}
