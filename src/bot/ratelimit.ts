// Per-user limits: a token bucket (a burst, then a sustained rate) so one user cannot flood the
// bot or the model budget, and an optional daily budget of model answers. These are in memory,
// for one process; with Redis every instance shares them (shared-limits.ts).
import type { Middleware } from 'grammy';
import type { BotContext } from './context.ts';

export interface RateLimitOptions {
  burst: number;
  perMinute: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** when the user was last told to slow down (tell once per empty bucket) */
  warnedAt?: number;
}

export interface RateVerdict {
  allowed: boolean;
  /** tell the user to slow down (once per empty bucket) */
  warn: boolean;
  retryAfterSeconds: number;
}

/** In memory (one process) or in Redis (shared-limits.ts, every instance). */
export interface UserRateLimiter {
  take(userId: number): RateVerdict | Promise<RateVerdict>;
}

/** Model answers per user per day, in memory or in Redis. */
export interface ModelBudget {
  readonly enabled: boolean;
  remaining(userId: number): number | Promise<number>;
  /** records one model answer; false when the budget was already spent */
  spend(userId: number): boolean | Promise<boolean>;
}

export const RATE_LIMITED_MESSAGE = '你发得有点快,请稍等几秒再继续。';

export class RateLimiter implements UserRateLimiter {
  private readonly buckets = new Map<number, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Takes one token; false when the user is over the limit. */
  take(userId: number): RateVerdict {
    const now = this.now();
    const refillPerMs = this.options.perMinute / 60_000;
    const bucket = this.buckets.get(userId) ?? { tokens: this.options.burst, updatedAt: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warnedAt = undefined;
      this.buckets.set(userId, bucket);
      return { allowed: true, warn: false, retryAfterSeconds: 0 };
    }
    const warn = bucket.warnedAt === undefined;
    bucket.warnedAt ??= now;
    this.buckets.set(userId, bucket);
    if (this.buckets.size > 50_000) this.evictIdle(now);
    return { allowed: false, warn, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / refillPerMs / 1000) };
  }

  private evictIdle(now: number): void {
    for (const [id, bucket] of this.buckets) if (now - bucket.updatedAt > 10 * 60_000) this.buckets.delete(id);
  }
}

/** Limits messages and inline queries (button presses are cheap and stay free). */
export function rateLimit(limiter: UserRateLimiter): Middleware<BotContext> {
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined || (!ctx.message && !ctx.inlineQuery)) return next();
    const verdict = await limiter.take(userId);
    if (verdict.allowed) return next();
    if (ctx.inlineQuery) {
      await ctx.answerInlineQuery([], { cache_time: 5 }).catch(() => undefined);
      return;
    }
    if (verdict.warn && ctx.chat?.type === 'private') await ctx.reply(RATE_LIMITED_MESSAGE).catch(() => undefined);
  };
}

/** The date in China (UTC+8), where the users' day starts: the budget's day. */
export function chinaDay(now: number): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Counts model answers per user per day; past the budget, answers fall back to extractive. */
export class DailyBudget implements ModelBudget {
  private readonly used = new Map<number, { day: string; count: number }>();

  constructor(
    private readonly perDay: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.perDay > 0;
  }

  private today(): string {
    return chinaDay(this.now());
  }

  remaining(userId: number): number {
    if (!this.enabled) return Infinity;
    const entry = this.used.get(userId);
    return entry && entry.day === this.today() ? Math.max(0, this.perDay - entry.count) : this.perDay;
  }

  /** Records one model answer; false when the budget was already spent. */
  spend(userId: number): boolean {
    if (!this.enabled) return true;
    const day = this.today();
    const entry = this.used.get(userId);
    const count = entry && entry.day === day ? entry.count : 0;
    if (count >= this.perDay) return false;
    this.used.set(userId, { day, count: count + 1 });
    return true;
  }
}
