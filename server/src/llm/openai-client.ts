import OpenAI from 'openai';
import type { Config } from '../config';

/**
 * The LLM client, or null when none is configured. OPENAI_BASE_URL alone is enough (a local
 * OpenAI-compatible server needs no key). Retries are ours to decide: the bot hands off instead.
 */
export function createLlmClient(config: Config): OpenAI | null {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return null;
  return new OpenAI({
    apiKey: config.OPENAI_API_KEY || 'not-needed',
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    maxRetries: 0,
    timeout: config.OPENAI_TIMEOUT_MS,
    fetch: withoutUpstreamErrorBodies,
  });
}

const IDENT = /^[\w.-]{1,60}$/;

/**
 * An upstream's error body never travels further than this: the SDK builds its error (and so every log
 * line that mentions it) from the body, and a misbehaving or hostile upstream may echo the request back,
 * Authorization header included. Only the status and the short `type`/`code` identifiers remain.
 */
async function withoutUpstreamErrorBodies(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.ok) return res;
  let type: string | undefined;
  let code: string | undefined;
  try {
    const body = (await res.json()) as { error?: { type?: unknown; code?: unknown } };
    if (typeof body?.error?.type === 'string' && IDENT.test(body.error.type)) type = body.error.type;
    if (typeof body?.error?.code === 'string' && IDENT.test(body.error.code)) code = body.error.code;
  } catch {
    // not JSON: nothing worth keeping
  }
  const headers = new Headers({ 'content-type': 'application/json' });
  for (const name of ['retry-after', 'x-request-id']) {
    const v = res.headers.get(name);
    if (v && IDENT.test(v)) headers.set(name, v);
  }
  return new Response(
    JSON.stringify({
      error: { message: `upstream error (HTTP ${res.status})`, ...(type ? { type } : {}), ...(code ? { code } : {}) },
    }),
    { status: res.status, statusText: '', headers },
  );
}
