// Redis going away under a webhook instance, and an instance started while Redis is down: no
// update acknowledged and then lost, no unhandled rejection, one log line per outage, recovery.
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, createSessionStore, type SessionData } from '../../src/bot/index.ts';
import { SessionStoreError } from '../../src/bot/session.ts';
import { createDeduper, startWebhook, type WebhookServer } from '../../src/bot/webhook.ts';
import { parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { freePort, runRedisTests, startRedisServer } from '../helpers/redis.ts';
import { postUpdate, textUpdate } from '../helpers/webhook.ts';
import { buildApp, nextText, tempDir, testConfig } from './setup.ts';

const SECRET = 'test-webhook-secret-outage-0123456789';

const post = (server: WebhookServer, update: Update): Promise<number> => postUpdate(server, update, SECRET);

/** A logger that keeps its events, to count the lines of each kind. */
function eventLogger(): { logger: ReturnType<typeof createLogger>; events: string[] } {
  const events: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => events.push(String(JSON.parse(line).event ?? JSON.parse(line).msg)) });
  return { logger, events };
}

describe.skipIf(!runRedisTests)('Redis outages', () => {
  let tg: FakeTelegram;
  let data: { path: string; remove: () => Promise<void> };
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    tg = await startFakeTelegram();
    data = await tempDir();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await tg?.close();
    await data?.remove();
  });

  it('while Redis is down a webhook instance answers 503 (Telegram retries), logs it once, and handles the update when Redis is back', async () => {
    let redis = await startRedisServer();
    const config = testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path, REDIS_URL: redis.url });
    const app = await buildApp(config);
    const { logger, events } = eventLogger();
    const storage = await createSessionStore<SessionData>(config, logger);
    const bot = createBot({ config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger, storage });
    const server = await startWebhook(bot, { url: 'https://bot.example.com/hook', secret: SECRET, port: 0, host: '127.0.0.1', logger, deduper: await createDeduper(redis.url, logger), claimTimeoutMs: 3000 });
    try {
      let since = tg.mark();
      expect(await post(server, textUpdate(900_001, 9101, '北辰区的基层治理经验是什么?'))).toBe(200);
      await nextText(tg, 9101, since, (text) => text.includes('北辰'), 20_000);

      await redis.stop();
      const update = textUpdate(900_002, 9101, '天津市怎样用网格化管理服务社区居民?');
      expect(await post(server, update)).toBe(503);
      expect(await post(server, textUpdate(900_003, 9101, '芦篙村征地拆迁时怎样尊重民意?'))).toBe(503);
      expect(events.filter((e) => e === 'webhook.claim_store_unavailable')).toHaveLength(1);

      redis = await startRedisServer(redis.port);
      since = tg.mark();
      // Telegram delivers the unacknowledged update again
      await expect.poll(() => post(server, update), { timeout: 20_000, interval: 200 }).toBe(200);
      await nextText(tg, 9101, since, (text) => text.includes('网格'), 20_000);
      expect(events).toContain('webhook.claim_store_recovered');
      expect(rejections).toEqual([]);
    } finally {
      await server.stop();
      await storage.close().catch(() => undefined);
      await redis.stop();
    }
  }, 70_000);

  it('an instance started while Redis is down waits for it, with a log line per try, then comes up', async () => {
    const port = await freePort();
    const { logger, events } = eventLogger();
    let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    const waits: number[] = [];
    const storage = await createSessionStore<{ n: number }>(parseConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }), logger, {
      attempts: 5,
      // instead of sleeping: note the back-off, and bring Redis up after the second failure
      wait: async (ms, attempt) => {
        waits.push(ms);
        if (attempt === 2) redis = await startRedisServer(port);
      },
    });
    try {
      expect(storage.kind).toBe('redis');
      await storage.write('k', { n: 1 });
      expect(await storage.read('k')).toEqual({ n: 1 });
      expect(waits).toEqual([1000, 2000]);
      expect(events.filter((e) => e === 'session.redis_waiting')).toHaveLength(2);
      expect(events).toContain('session.redis_connected');
    } finally {
      await storage.close();
      await redis?.stop();
    }
    // with a limit, it gives up with a clear error
    await expect(createSessionStore(parseConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }), logger, { attempts: 2, wait: async () => undefined })).rejects.toThrow(SessionStoreError);
    expect(rejections).toEqual([]);
  }, 30_000);
});
