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
  });
}
