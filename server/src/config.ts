import { z } from 'zod';

// Every setting comes from the environment and is checked once at start; a bad value names its variable.

const optionalUrl = (protocols: RegExp) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.url({ protocol: protocols }).optional());

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(/^postgres(ql)?$/).optional(),
  REDIS_URL: optionalUrl(/^rediss?$/).optional(),
  /** Prefix of Redis keys and streams, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,50}$/, 'letters, digits, : _ - only')
    .default('autocrm'),
  PUBLIC_URL: optionalUrl(/^https?$/).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: optionalUrl(/^https?$/).optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** Embeddings for hybrid knowledge-base retrieval; `none` turns them off while chat stays on. */
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** How long the bot waits for the LLM (whole answer) before it hands the room to a person. */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** The knowledge base's default locale: help center home and the fallback for untranslated articles. */
  KB_DEFAULT_LOCALE: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as en')
    .default('en'),
  /** Whom the bot speaks for ("the support assistant of …"). */
  COMPANY_NAME: z.string().trim().min(1).max(100).default('our company'),
  /** Hosts (comma-separated) the bot may link to besides the help center. */
  BOT_LINK_ALLOWLIST: z.string().default(''),
  SMTP_URL: optionalUrl(/^smtps?$/).optional(),
  SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** First wait before an outgoing mail that failed is tried again; it doubles on each try. */
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Tries before an outgoing mail is marked failed. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** A widget customer who has not read an agent's reply after this long gets it by email (when we know their address). */
  EMAIL_AWAY_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(120),
  /** Comma-separated CIDRs or `loopback`/`private`: webhook targets otherwise refused as SSRF. */
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 14),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (result.data.ADMIN_EMAIL && !result.data.ADMIN_PASSWORD) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_PASSWORD: required when ADMIN_EMAIL is set');
  }
  return result.data;
}
