// Webhook mode: the secret header is checked, Telegram gets its answer at once, every update is
// handled exactly once, and two instances on one Redis share the conversation.
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { createBot, createSessionStore, type SessionData } from '../../src/bot/index.ts';
import { createDeduper, startWebhook, type WebhookServer } from '../../src/bot/webhook.ts';
import { drillFeatureFor } from '../../src/bot/features/drill.ts';
import { loadCalibration } from '../../src/interview/index.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { runRedisTests, startRedisServer } from '../helpers/redis.ts';
import { captureLogger } from '../helpers/log-capture.ts';
import { buildApp, nextText, tempDir, testConfig } from './setup.ts';

const SECRET = 'test-webhook-secret-0123456789';
let nextUpdateId = 500_000;

function textUpdate(chatId: number, text: string, updateId = (nextUpdateId += 1)): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: '测试' },
      from: { id: chatId, is_bot: false, first_name: '测试' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {}),
    },
  } as Update;
}

async function post(server: WebhookServer, update: unknown, secret = SECRET): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${server.port}/telegram/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

async function startInstance(app: App, storage?: Awaited<ReturnType<typeof createSessionStore<SessionData>>>, redisUrl?: string): Promise<WebhookServer> {
  const logger = captureLogger(app.config);
  const features = [drillFeatureFor(app, logger, storage ? { sessions: storage } : {})];
  const bot = createBot({ config: app.config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger, storage, features });
  return startWebhook(bot, {
    url: 'https://bot.example.com/telegram/hook',
    secret: SECRET,
    port: 0,
    host: '127.0.0.1',
    logger: captureLogger(app.config),
    deduper: await createDeduper(redisUrl, silentLogger),
  });
}

describe('webhook mode', () => {
  let tg: FakeTelegram;
  let openai: FakeOpenAI;
  let server: WebhookServer;
  let data: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    openai = await startFakeOpenAI({ delayMs: 1500, responder: () => '北辰区坚持党建引领[1]。' });
    data = await tempDir();
    const app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL }));
    server = await startInstance(app);
  });

  afterAll(async () => {
    await server?.stop();
    await tg?.close();
    await openai?.close();
    await data?.remove();
  });

  it('registers the webhook with its secret token', () => {
    const call = tg.callsOf('setWebhook')[0];
    expect(call.payload).toMatchObject({ url: 'https://bot.example.com/telegram/hook', secret_token: SECRET });
  });

  it('rejects a request without the right secret-token header', async () => {
    expect((await post(server, textUpdate(801, '你好'), 'wrong-secret-wrong-secret')).status).toBe(401);
    expect((await post(server, textUpdate(801, '你好'), '')).status).toBe(401);
  });

  it('answers Telegram at once and handles a slow (model) update in the background', async () => {
    const since = tg.mark();
    const { status, ms } = await post(server, textUpdate(802, '北辰区的基层治理经验是什么?'));
    expect(status).toBe(200);
    expect(ms).toBeLessThan(1000); // the model takes 1.5 s
    await nextText(tg, 802, since, (text) => text.includes('北辰'), 10_000);
  });

  it('handles a re-delivered update only once', async () => {
    const update = textUpdate(803, '天津市怎样用网格化管理服务社区居民?');
    const since = tg.mark();
    expect((await post(server, update)).status).toBe(200);
    expect((await post(server, update)).status).toBe(200);
    await nextText(tg, 803, since, (text) => text.includes('['), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const finals = tg.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === 803 && c.payload['parse_mode'] === 'HTML');
    expect(finals).toHaveLength(1);
  });
});

describe.skipIf(!runRedisTests)('two webhook instances on one Redis', () => {
  it('share the conversation and the drill: a follow-up and a drill answer on B continue what began on A', async () => {
    const redis = await startRedisServer();
    const tg = await startFakeTelegram();
    const dataA = await tempDir();
    const dataB = await tempDir();
    const servers: WebhookServer[] = [];
    try {
      const config = (dir: string) => testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: dir, REDIS_URL: redis.url });
      const appA = await buildApp(config(dataA.path));
      const appB = await buildApp(config(dataB.path));
      servers.push(await startInstance(appA, await createSessionStore<SessionData>(appA.config, silentLogger), redis.url));
      servers.push(await startInstance(appB, await createSessionStore<SessionData>(appB.config, silentLogger), redis.url));
      const chat = 804;
      let since = tg.mark();
      await post(servers[0], textUpdate(chat, '村干部队伍年龄老化、青黄不接怎么办?'));
      await nextText(tg, chat, since, (text) => text.includes('['), 10_000);
      since = tg.mark();
      const followUp = textUpdate(chat, '那具体应该怎么做?');
      await post(servers[1], followUp);
      await post(servers[0], followUp); // the load balancer retried on the other instance
      const answer = await nextText(tg, chat, since, (text) => text.includes('['), 10_000);
      expect(String(answer.payload['text'])).toMatch(/党员|青年|干部/);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const replies = tg.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === chat && c.payload['parse_mode'] === 'HTML');
      // one answer (its text may span more than one message), not two
      expect(new Set(replies.map((c) => c.payload['text'])).size).toBe(replies.length);
      expect(replies.filter((c) => String(c.payload['text']).includes('[1]'))).toHaveLength(1);

      // a drill started on A and finished on B
      since = tg.mark();
      await post(servers[0], textUpdate(chat, '/drill zh-01'));
      await nextText(tg, chat, since, (text) => text.includes('结构化面试练习'), 10_000);
      since = tg.mark();
      const drillAnswer = loadCalibration().find((a) => a.question === 'zh-01' && a.kind === 'strong')!.text;
      await post(servers[1], textUpdate(chat, drillAnswer));
      const review = await nextText(tg, chat, since, (text) => text.includes('评分结果'), 15_000);
      expect(String(review.payload['text'])).toMatch(/总分 \d+(\.\d)? \/ 100/);
    } finally {
      for (const server of servers) await server.stop();
      await tg.close();
      redis.stop();
      await dataA.remove();
      await dataB.remove();
    }
  }, 30_000);
});
