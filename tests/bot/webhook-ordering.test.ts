// Two webhook instances on one Redis receiving interleaved updates of one chat: each update is
// handled while no other of that chat is, so no session write is lost to another instance's.
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { createBot, createSessionStore, type SessionData } from '../../src/bot/index.ts';
import { chatOf, createChatLock, createDeduper, startWebhook, type ChatLock, type WebhookServer } from '../../src/bot/webhook.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeTelegram } from '../helpers/fake-telegram.js';
import { runRedisTests, startRedisServer } from '../helpers/redis.ts';
import { postUpdate, textUpdate } from '../helpers/webhook.ts';
import { buildApp, tempDir, testConfig } from './setup.ts';

const SECRET = 'test-webhook-secret-ordering-0123456789';

const post = (server: WebhookServer, update: Update): Promise<number> => postUpdate(server, update, SECRET);

async function instance(app: App, redisUrl: string, chatLock: ChatLock | undefined): Promise<{ server: WebhookServer; storage: Awaited<ReturnType<typeof createSessionStore<SessionData>>> }> {
  const storage = await createSessionStore<SessionData>(app.config, silentLogger);
  const bot = createBot({ config: app.config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger: silentLogger, storage });
  const server = await startWebhook(bot, { url: 'https://bot.example.com/hook', secret: SECRET, port: 0, host: '127.0.0.1', logger: silentLogger, deduper: await createDeduper(redisUrl, silentLogger), chatLock, register: false });
  return { server, storage };
}

describe('the chat an update belongs to', () => {
  it('is the chat of a message or a button, the user of an inline query', () => {
    expect(chatOf(textUpdate(1, 42, 'x'))).toBe('42');
    expect(chatOf({ update_id: 2, inline_query: { id: 'q', from: { id: 7, is_bot: false, first_name: 'a' }, query: '', offset: '' } } as Update)).toBe('7');
    expect(chatOf({ update_id: 3 } as Update)).toBeUndefined();
  });
});

describe.skipIf(!runRedisTests)('two webhook instances, one chat', () => {
  it('interleaved questions to A and B all end up in the one shared session', async () => {
    const redis = await startRedisServer();
    const tg = await startFakeTelegram();
    const dirs = [await tempDir(), await tempDir()];
    const running: Array<Awaited<ReturnType<typeof instance>>> = [];
    try {
      for (const dir of dirs) {
        const app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: dir.path, REDIS_URL: redis.url }));
        running.push(await instance(app, redis.url, await createChatLock(redis.url, silentLogger)));
      }
      const chat = 9601;
      const questions = ['北辰区的基层治理经验是什么?', '天津市怎样用网格化管理服务社区居民?', '芦篙村征地拆迁时怎样尊重民意?', '村民议事会是怎么选出来的?'];
      // all posted at once, alternating instances, as a load balancer would spread them
      const statuses = await Promise.all(questions.map((q, i) => post(running[i % 2].server, textUpdate(960_000 + i, chat, q))));
      expect(statuses).toEqual([200, 200, 200, 200]);
      await expect
        .poll(async () => ((await running[0].storage.read(String(chat))) as SessionData | undefined)?.turns.map((t) => t.q).sort(), { timeout: 20_000, interval: 200 })
        .toEqual([...questions].sort());
    } finally {
      for (const { server, storage } of running) {
        await server.stop();
        await storage.close();
      }
      await tg.close();
      await redis.stop();
      for (const dir of dirs) await dir.remove();
    }
  }, 40_000);
});
