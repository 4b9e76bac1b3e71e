import { AppError } from '@autocrm/shared';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';

/**
 * One budget: `points` events per `seconds` per key. With Redis the count is shared by every process
 * (a memory limiter stands in while Redis is unreachable); alone it lives in this process.
 */
export class Budget {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly what: string,
  ) {}

  /** Spends one point; throws rate_limited once the budget is used up. */
  async spend(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw this.refusal(err);
      throw err;
    }
  }

  /** Throws rate_limited when the budget is already used up, without spending (for failures-only budgets). */
  async assertLeft(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.remainingPoints <= 0) throw this.refusal(res);
  }

  /** Spends one point; false (instead of an error) once the budget is used up, for signals that are dropped. */
  async take(key: string): Promise<boolean> {
    try {
      await this.limiter.consume(key);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      throw err;
    }
  }

  /** Spends one point and never throws: the next assertLeft() refuses. */
  async record(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }

  private refusal(res: RateLimiterRes) {
    const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new AppError('rate_limited', `too many ${this.what}; try again in ${seconds} s`);
  }
}

export interface RateLimits {
  /** Anonymous widget visitors created, per client address. */
  visitors: Budget;
  /** Wrong current passwords in POST /auth/password, per user. */
  passwordChecks: Budget;
  /** Forgotten-password requests, per client address and per email address. */
  passwordResets: Budget;
  /** Customer portal sign-in links, per email address and per client address. */
  portalLinks: Budget;
  portalLinksPerIp: Budget;
  /** Wrong two-factor codes (sign-in, enrolment, disabling), per user. */
  totpChecks: Budget;
  /** Messages, edits, deletions and new conversations sent over a socket, per sender. */
  socketSends: Budget;
  /** Typing signals over a socket, per sender (past it they are dropped silently). */
  typing: Budget;
  /** /collab connections opened, per user. */
  collabConnections: Budget;
  /** Frames on one /collab connection (counted in this process, which holds the connection). */
  collabMessages: Budget;
  /** Room lookups that find nothing (unknown or hidden conversation), per connection's sender. */
  roomMisses: Budget;
}

export function createRateLimits(config: Config, redis: Redis | undefined): RateLimits {
  const budget = (name: string, points: number, duration: number, what: string, shared = true) => {
    const keyPrefix = `${config.REDIS_PREFIX}:rl:${name}`;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    const limiter =
      redis && shared
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: memory })
        : memory;
    return new Budget(limiter, what);
  };
  return {
    visitors: budget('visitors', config.RATE_LIMIT_VISITORS, 60, 'new visitors from this address'),
    passwordChecks: budget('password', config.RATE_LIMIT_PASSWORD_CHECKS, 900, 'wrong passwords'),
    passwordResets: budget('pwreset', config.RATE_LIMIT_PASSWORD_RESETS, 3600, 'password reset requests'),
    portalLinks: budget('portal-link', config.RATE_LIMIT_PORTAL_LINKS, 3600, 'sign-in links for this address'),
    portalLinksPerIp: budget('portal-link-ip', config.RATE_LIMIT_PORTAL_LINKS_PER_IP, 3600, 'sign-in links'),
    totpChecks: budget('totp', config.RATE_LIMIT_TOTP_CHECKS, 900, 'wrong two-factor codes'),
    socketSends: budget('sends', config.RATE_LIMIT_SOCKET_SENDS, 10, 'messages'),
    typing: budget('typing', config.RATE_LIMIT_TYPING, 10, 'typing signals'),
    collabConnections: budget('collab-conn', config.RATE_LIMIT_COLLAB_CONNECTIONS, 60, 'draft connections'),
    // A connection lives on one process: its frames need no shared count (and no Redis round trip each).
    collabMessages: budget('collab-msg', config.RATE_LIMIT_COLLAB_MESSAGES, 10, 'draft updates', false),
    roomMisses: budget('rooms', config.RATE_LIMIT_ROOM_MISSES, 60, 'lookups of unknown conversations'),
  };
}
