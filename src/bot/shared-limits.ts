// Per-user limits shared by every instance on one Redis: the token bucket of ratelimit.ts as a
// Lua script (atomic, so two instances cannot both take the last token), and the daily budget
// of model answers as a counter per user per day (China's day) that expires on its own.
import type { Logger } from '../log.ts';
import { chinaDay, type RateLimitOptions, type RateVerdict } from './ratelimit.ts';
import { redisClient } from './redis-client.ts';

/** The part of an ioredis client used here. */
export interface RedisEval {
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  get(key: string): Promise<string | null>;
  quit(): Promise<unknown>;
}

// tokens and the time of the last update are kept in a hash; "warned" once per empty bucket
const TAKE = `
local burst = tonumber(ARGV[1]); local perMs = tonumber(ARGV[2]); local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'warned')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * perMs)
local allowed = 0; local warn = 0
if tokens >= 1 then
  tokens = tokens - 1; allowed = 1
  redis.call('HDEL', KEYS[1], 'warned')
elseif not state[3] then
  warn = 1
  redis.call('HSET', KEYS[1], 'warned', '1')
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 60000)
return {allowed, warn, tostring(tokens)}`;

export class RedisRateLimiter {
  constructor(
    private readonly client: RedisEval,
    private readonly options: RateLimitOptions,
    private readonly logger: Logger,
    private readonly prefix = 'zhili:rate:',
  ) {}

  async take(userId: number): Promise<RateVerdict> {
    const perMs = this.options.perMinute / 60_000;
    try {
      const [allowed, warn, tokens] = (await this.client.eval(TAKE, 1, this.prefix + userId, this.options.burst, perMs, (this.options.now ?? Date.now)())) as [number, number, string];
      return { allowed: allowed === 1, warn: warn === 1, retryAfterSeconds: allowed === 1 ? 0 : Math.ceil((1 - Number(tokens)) / perMs / 1000) };
    } catch (error) {
      // Redis down: let the message through rather than silence every user
      this.logger.warn('ratelimit.redis_failed', { error });
      return { allowed: true, warn: false, retryAfterSeconds: 0 };
    }
  }
}

const SPEND = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], 172800)
return 1`;

export class RedisDailyBudget {
  constructor(
    private readonly client: RedisEval,
    private readonly perDay: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly prefix = 'zhili:budget:',
  ) {}

  get enabled(): boolean {
    return this.perDay > 0;
  }

  private key(userId: number): string {
    return `${this.prefix}${chinaDay(this.now())}:${userId}`;
  }

  async remaining(userId: number): Promise<number> {
    if (!this.enabled) return Infinity;
    try {
      return Math.max(0, this.perDay - Number((await this.client.get(this.key(userId))) ?? 0));
    } catch (error) {
      this.logger.warn('budget.redis_failed', { error });
      return this.perDay;
    }
  }

  async spend(userId: number): Promise<boolean> {
    if (!this.enabled) return true;
    try {
      return (await this.client.eval(SPEND, 1, this.key(userId), this.perDay)) === 1;
    } catch (error) {
      this.logger.warn('budget.redis_failed', { error });
      return true;
    }
  }
}

/** Limits in Redis when REDIS_URL is set (several instances), else undefined (in memory). */
export async function createSharedLimits(
  redisUrl: string | undefined,
  options: { rate: RateLimitOptions; dailyBudget: number },
  logger: Logger,
): Promise<{ rate: RedisRateLimiter; budget: RedisDailyBudget; close: () => Promise<void> } | undefined> {
  if (!redisUrl) return undefined;
  const redis = (await redisClient(redisUrl, logger, 'limits.redis_error')) as unknown as RedisEval;
  return {
    rate: new RedisRateLimiter(redis, options.rate, logger),
    budget: new RedisDailyBudget(redis, options.dailyBudget, logger),
    close: async () => void (await redis.quit().catch(() => undefined)),
  };
}
