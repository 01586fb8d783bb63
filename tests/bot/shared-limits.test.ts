// The per-user rate limit and daily model budget shared by two instances on one real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedLimits } from '../../src/bot/shared-limits.ts';
import { silentLogger } from '../../src/log.ts';
import { runRedisTests, startRedisServer } from '../helpers/redis.ts';

describe.skipIf(!runRedisTests)('limits shared through Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two instances take from one bucket: the burst is for the user, not per instance', async () => {
    let now = 1_000_000;
    const rate = { burst: 4, perMinute: 6, now: () => now };
    const a = (await createSharedLimits(redis.url, { rate, dailyBudget: 0 }, silentLogger))!;
    const b = (await createSharedLimits(redis.url, { rate, dailyBudget: 0 }, silentLogger))!;
    try {
      const verdicts = [];
      for (let i = 0; i < 6; i += 1) verdicts.push(await (i % 2 === 0 ? a : b).rate.take(77));
      expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, false, false]);
      // told once per empty bucket, on whichever instance
      expect(verdicts.filter((v) => v.warn)).toHaveLength(1);
      expect(verdicts[4].retryAfterSeconds).toBe(10);
      // 6 per minute: one token back after 10 s
      now += 10_000;
      expect((await b.rate.take(77)).allowed).toBe(true);
      expect((await a.rate.take(77)).allowed).toBe(false);
      // another user has a bucket of their own
      expect((await a.rate.take(78)).allowed).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two instances spend one daily budget', async () => {
    const a = (await createSharedLimits(redis.url, { rate: { burst: 1, perMinute: 1 }, dailyBudget: 3 }, silentLogger))!;
    const b = (await createSharedLimits(redis.url, { rate: { burst: 1, perMinute: 1 }, dailyBudget: 3 }, silentLogger))!;
    try {
      const spent = await Promise.all([a.budget.spend(5), b.budget.spend(5), a.budget.spend(5), b.budget.spend(5), a.budget.spend(5)]);
      expect(spent.filter(Boolean)).toHaveLength(3);
      expect(await b.budget.remaining(5)).toBe(0);
      expect(await a.budget.remaining(6)).toBe(3);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
