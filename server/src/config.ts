import ipaddr from 'ipaddr.js';
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
  /** Postgres pool: connect, statement, idle-in-transaction and TCP keepalive timeouts (ms). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DB_KEEPALIVE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** How long start-up keeps retrying an unreachable database before giving up. */
  DB_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(300_000),
  REDIS_URL: optionalUrl(/^rediss?$/).optional(),
  /** A Redis command (a broadcast) that takes longer fails, and the event is delivered on this process only. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Prefix of Redis keys and streams, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,50}$/, 'letters, digits, : _ - only')
    .default('autocrm'),
  PUBLIC_URL: optionalUrl(/^https?$/).optional(),
  /** A separate origin (its own site, pointing at this server) that user files are served from, so a file can never run in the app's origin. */
  UPLOADS_ORIGIN: optionalUrl(/^https?$/).optional(),
  /** How long a download link shown in a room stays valid; rooms sign their links afresh when they load. */
  UPLOAD_LINK_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(30 * 86_400)
    .default(12 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  /** Demo accounts and data on first start. Off by default when NODE_ENV=production (their passwords are public). */
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** The /demo page (a host page with the widget). Follows SEED_DEMO unless set. */
  DEMO_PAGE: z.enum(['true', 'false']).default('true'),
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
  /** Meta's Graph API for WhatsApp Cloud (versioned): a loopback stand-in in tests. */
  WHATSAPP_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  /** Hosts WhatsApp media may be downloaded from (comma-separated); anything else is refused (no SSRF). */
  WHATSAPP_MEDIA_HOSTS: z
    .string()
    .default('lookaside.fbsbx.com')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Meta's Graph API for Messenger and Instagram messaging (versioned): a loopback stand-in in tests. */
  MESSENGER_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  /**
   * Hosts Messenger/Instagram attachments may be downloaded from (comma-separated; a leading dot allows
   * subdomains); anything else is refused (no SSRF).
   */
  MESSENGER_MEDIA_HOSTS: z
    .string()
    .default('.fbcdn.net,lookaside.fbsbx.com,cdn.fbsbx.com,.cdninstagram.com')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Twilio's REST API (SMS): a loopback stand-in in tests, a regional edge in production. */
  TWILIO_API_BASE_URL: z.string().url().default('https://api.twilio.com'),
  /** Hosts inbound MMS media may be fetched from (comma-separated); anything else is refused (no SSRF). */
  TWILIO_MEDIA_HOSTS: z
    .string()
    .default('api.twilio.com,media.twiliocdn.com')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** First wait before an SMS that failed for a passing reason is tried again; it doubles on each try. */
  SMS_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Tries before an outgoing SMS is marked failed. */
  SMS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
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
  /** Scheduled maintenance (server/src/jobs): how long dispatched events, the webhook log and abandoned visitors stay. */
  RETENTION_OUTBOX_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  RETENTION_WEBHOOK_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_VISITOR_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Attachments in an S3-compatible bucket instead of DATA_DIR/attachments (several hosts share files). */
  UPLOADS_S3_BUCKET: z.string().trim().min(1).optional(),
  UPLOADS_S3_ENDPOINT: optionalUrl(/^https?$/).optional(),
  UPLOADS_S3_REGION: z.string().trim().min(1).default('us-east-1'),
  UPLOADS_S3_ACCESS_KEY_ID: z.string().optional(),
  UPLOADS_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** `true` for endpoint/bucket/key addressing (MinIO and most self-hosted stores). */
  UPLOADS_S3_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  UPLOADS_S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9/_-]{0,100}$/, 'letters, digits, / _ - only')
    .default(''),
  /** How often each process looks for due maintenance jobs. */
  JOBS_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
  /**
   * Who may speak for the client in X-Forwarded-For: a hop count (how many reverse proxies add
   * themselves; 0 uses the peer address) or the proxies' addresses/CIDRs, comma-separated.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('0')
    .transform((v, ctx) => {
      const none: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
      if (/^\d+$/.test(v)) {
        if (Number(v) <= 10) return { hops: Number(v), ranges: none };
        ctx.addIssue({ code: 'custom', message: 'at most 10 proxies' });
        return z.NEVER;
      }
      try {
        const ranges = v.split(',').map((part) => {
          const s = part.trim();
          return s.includes('/')
            ? ipaddr.parseCIDR(s)
            : ([ipaddr.parse(s), ipaddr.parse(s).kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
        });
        return { hops: 0, ranges };
      } catch {
        ctx.addIssue({ code: 'custom', message: 'a hop count (0-10) or comma-separated addresses/CIDRs of the proxies' });
        return z.NEVER;
      }
    }),
  /** Anonymous widget visitors one client address may create per minute. */
  RATE_LIMIT_VISITORS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Wrong current passwords (POST /auth/password) per user per 15 minutes. */
  RATE_LIMIT_PASSWORD_CHECKS: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Messages and new conversations one sender may send over sockets per 10 seconds. */
  RATE_LIMIT_SOCKET_SENDS: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Typing signals one sender may send per 10 seconds; beyond it they are dropped without an error. */
  RATE_LIMIT_TYPING: z.coerce.number().int().min(1).max(1_000_000).default(40),
  /** /collab (draft) connections one user may open per minute. */
  RATE_LIMIT_COLLAB_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Frames one /collab connection may send per 10 seconds (a keystroke is one or two); past it the connection is closed. */
  RATE_LIMIT_COLLAB_MESSAGES: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** Room lookups that find nothing (unknown or hidden conversations) per sender per minute. */
  RATE_LIMIT_ROOM_MISSES: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Notifications: an agent who has been offline this long gets unread notifications by email (once each). */
  AGENT_NOTIFY_EMAIL_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** The contact named in Web Push VAPID tokens (mailto: or https:); default mailto:no-reply@ the PUBLIC_URL host. */
  PUSH_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'a mailto: or https: URL')
    .max(320)
    .optional(),
  /** A PEM file of extra certificate authorities trusted for push services (a private push gateway; the tests' stand-in). */
  PUSH_CA_FILE: z.string().min(1).max(1000).optional(),
  /** Sender of invitation and password mails (default: AutoCRM <no-reply@ the PUBLIC_URL host>). */
  MAIL_FROM: z.string().trim().min(3).max(320).optional(),
  /** Accounts: how long an invitation link and a forgotten-password link stay good. */
  INVITE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  PASSWORD_RESET_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** Forgotten-password requests per client address and per email address per hour. */
  RATE_LIMIT_PASSWORD_RESETS: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Customer portal sign-in links asked for per email address per hour (known or not). */
  RATE_LIMIT_PORTAL_LINKS: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Customer portal sign-in links asked for per client address per hour. */
  RATE_LIMIT_PORTAL_LINKS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Wrong two-factor codes per user per 15 minutes (a sign-in challenge also dies after 5). */
  RATE_LIMIT_TOTP_CHECKS: z.coerce.number().int().min(1).max(1_000_000).default(10),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Production defaults differ where a development default would be unsafe: no demo accounts, no demo page.
  const source = { ...env };
  source.SEED_DEMO ??= source.NODE_ENV === 'production' ? 'false' : 'true';
  source.DEMO_PAGE ??= source.SEED_DEMO;
  const result = ConfigSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (result.data.ADMIN_EMAIL && !result.data.ADMIN_PASSWORD) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_PASSWORD: required when ADMIN_EMAIL is set');
  }
  if (result.data.UPLOADS_S3_BUCKET && !(result.data.UPLOADS_S3_ACCESS_KEY_ID && result.data.UPLOADS_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError(
      'Invalid configuration:\n  UPLOADS_S3_ACCESS_KEY_ID, UPLOADS_S3_SECRET_ACCESS_KEY: required when UPLOADS_S3_BUCKET is set',
    );
  }
  return result.data;
}
