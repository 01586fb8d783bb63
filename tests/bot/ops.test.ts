// Issue 5 in the bot: who may use it, rate limits, admin commands, bad input, Telegram faults.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { adminFeature } from '../../src/bot/features/admin.ts';
import { RateLimiter, DailyBudget } from '../../src/bot/ratelimit.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { BOT_TOKEN, buildApp, nextText, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const ADMIN = 9001;
const USER = 9002;

describe('rate limiter and daily budget (units)', () => {
  it('allows a burst, then the sustained rate, and warns once per empty bucket', () => {
    let clock = 0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 6, now: () => clock });
    expect([1, 2, 3].map(() => limiter.take(1).allowed)).toEqual([true, true, true]);
    expect(limiter.take(1)).toMatchObject({ allowed: false, warn: true });
    expect(limiter.take(1)).toMatchObject({ allowed: false, warn: false });
    expect(limiter.take(2).allowed).toBe(true); // other users are not affected
    clock += 10_000; // 6 per minute: one token every 10 s
    expect(limiter.take(1).allowed).toBe(true);
  });

  it('counts model answers per user per day', () => {
    let clock = Date.parse('2026-11-28T10:00:00Z');
    const budget = new DailyBudget(2, () => clock);
    expect([budget.spend(1), budget.spend(1), budget.spend(1)]).toEqual([true, true, false]);
    expect(budget.remaining(1)).toBe(0);
    clock += 24 * 3600_000;
    expect(budget.spend(1)).toBe(true);
  });
});

describe('the bot under load, misuse and faults', () => {
  let tg: FakeTelegram;
  let app: App;
  let running: RunningBot;
  let data: { path: string; remove: () => Promise<void> };
  let knowledge: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    data = await tempDir();
    knowledge = await tempDir('zhili-kb-');
    // a copy of the knowledge base, so /reload can be shown a new essay
    const { cp } = await import('node:fs/promises');
    await cp('knowledge', knowledge.path, { recursive: true });
    app = await buildApp(
      testConfig({
        TELEGRAM_API_ROOT: tg.apiRoot,
        DATA_DIR: data.path,
        KNOWLEDGE_DIR: knowledge.path,
        ADMIN_USER_IDS: String(ADMIN),
        RATE_LIMIT_BURST: '4',
        RATE_LIMIT_PER_MINUTE: '2',
      }),
    );
    let queue = (): number => 0;
    const feature = adminFeature({ app, queueDepth: () => queue(), sessionsKind: () => 'file', transport: () => '长轮询' });
    running = await startBot(app, { features: [feature] });
    queue = () => running.bot.updatesInFlight;
  });

  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await data?.remove();
    await knowledge?.remove();
  });

  it('tells a user who floods the bot to slow down, once, in Chinese', async () => {
    const flooder = 9100;
    const since = tg.mark();
    for (let i = 0; i < 7; i += 1) tg.sendText(flooder, flooder, `网格化管理是什么?${i}`);
    await nextText(tg, flooder, since, (text) => text.includes('稍等'));
    await new Promise((r) => setTimeout(r, 300));
    const warnings = tg.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === flooder && String(c.payload['text']).includes('稍等'));
    expect(warnings).toHaveLength(1);
  });

  it('/status for an admin: uptime, essays and chunks, LLM mode, queue depth, and no secret', async () => {
    const since = tg.mark();
    tg.sendText(ADMIN, ADMIN, '/status');
    const call = await nextText(tg, ADMIN, since, (text) => text.includes('运行时间'));
    const text = String(call.payload['text']);
    expect(text).toContain('11 篇文章');
    expect(text).toContain('摘录模式');
    expect(text).toContain('正在处理的消息');
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(BOT_TOKEN.split(':')[1]);
  });

  it('/status for anyone else: a plain refusal', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/status');
    await nextText(tg, USER, since, (text) => text.includes('只有管理员'));
  });

  it('/reload re-indexes knowledge/ without a restart; the new essay is then cited', async () => {
    await writeFile(
      join(knowledge.path, 'p99-lajifenlei.md'),
      '---\ntitle: 社区垃圾分类积分制实践\nauthors: [测试作者]\n---\n\n某社区推行垃圾分类积分制度,居民每次正确投放可获得积分,积分可以兑换日用品,参与率从三成提高到八成。',
    );
    const before = await app.answerer.answer('社区垃圾分类积分制度怎么设计?');
    expect(before.grounded).toBe(false);
    const since = tg.mark();
    tg.sendText(ADMIN, ADMIN, '/reload');
    await nextText(tg, ADMIN, since, (text) => text.includes('重新索引完成'));
    const after = await app.answerer.answer('社区垃圾分类积分制度怎么设计?');
    expect(after.grounded).toBe(true);
    expect(after.citations[0].title).toBe('社区垃圾分类积分制实践');
    expect(running.bot).toBeDefined();
  });

  it.each([
    ['only whitespace', '   \n  '],
    ['only emoji', '😀😀🎉'],
    ['4096 of one character', '啊'.repeat(4096)],
    ['control characters', '\u0007\u0000北辰区\u001b[31m的经验是什么?'],
  ])('answers %s with a friendly Chinese sentence', async (_name, text) => {
    const user = 9200 + Math.floor(Math.random() * 1000);
    const since = tg.mark();
    tg.sendText(user, user, text);
    const call = await nextText(tg, user, since);
    expect(call.ok).toBe(true);
    expect(String(call.payload['text'])).toMatch(/[\u4e00-\u9fff]/);
  });

  it('echoes text that looks like HTML escaped, never interpreted', async () => {
    const user = 9301;
    const since = tg.mark();
    tg.sendText(user, user, '<b>北辰区</b> & <a href="x">基层治理</a>经验是什么?');
    const call = await nextText(tg, user, since, (text) => text.length > 20);
    expect(call.ok).toBe(true);
    expect(call.payload['parse_mode']).toBe('HTML');
    expect(String(call.payload['text'])).not.toMatch(/<a href="x">/);
  });

  it('answers a question in English in Chinese (or redirects politely)', async () => {
    const user = 9302;
    const since = tg.mark();
    tg.sendText(user, user, 'What is grid-based community management in Tianjin?');
    const call = await nextText(tg, user, since);
    expect(String(call.payload['text'])).toMatch(/[\u4e00-\u9fff]{6,}/);
  });

  it('survives Telegram 5xx and a user who blocked the bot, and keeps serving others', async () => {
    const blocked = 9401;
    tg.failNext('sendMessage', 1, { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    tg.sendText(blocked, blocked, '北辰区的基层治理经验是什么?');
    await tg.waitFor((c) => c.method === 'sendMessage' && c.ok === false && Number(c.payload['chat_id']) === blocked, 5000);
    const other = 9402;
    tg.failNext('sendMessage', 1, { error_code: 502, description: 'Bad Gateway' });
    const since = tg.mark();
    tg.sendText(other, other, '北辰区的基层治理经验是什么?');
    await nextText(tg, other, since, (text) => text.includes('北辰'), 10_000);
  });

  it('keeps polling after a dropped long-poll connection', async () => {
    tg.dropNextGetUpdates(1);
    const user = 9501;
    const since = tg.mark();
    tg.sendText(user, user, '芦篙村征地拆迁时怎样尊重民意?');
    await nextText(tg, user, since, (text) => text.includes('芦'), 12_000);
  }, 20_000);
});

describe('/status with a model provider that echoes the key in its errors', () => {
  // not sk- shaped: only the configured secrets can catch it
  const KEY = 'ollama-local-key-0123456789';
  let tg: FakeTelegram;
  let ai: FakeOpenAI;
  let app: App;
  let running: RunningBot;
  let data: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    ai = await startFakeOpenAI();
    data = await tempDir();
    app = await buildApp(
      testConfig({
        TELEGRAM_API_ROOT: tg.apiRoot,
        DATA_DIR: data.path,
        ADMIN_USER_IDS: String(ADMIN),
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: ai.baseURL,
        OPENAI_MODEL: 'fake-model',
        OPENAI_MAX_RETRIES: '0',
        OPENAI_TIMEOUT_MS: '5000',
      }),
    );
    const feature = adminFeature({ app, queueDepth: () => 0, sessionsKind: () => 'file', transport: () => '长轮询' });
    running = await startBot(app, { features: [feature] });
  });

  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await ai?.close();
    await data?.remove();
  });

  it('shows the last error with the key redacted', async () => {
    ai.failNext(1, { status: 401, message: `Incorrect API key provided: ${KEY}.` });
    const answer = await app.answerer.answer('北辰区的基层治理经验是什么?');
    expect(answer.mode).toBe('extractive');
    const since = tg.mark();
    tg.sendText(ADMIN, ADMIN, '/status');
    const text = String((await nextText(tg, ADMIN, since, (t) => t.includes('运行时间'))).payload['text']);
    expect(text).toContain('最近一次错误');
    expect(text).toContain('Incorrect API key provided: [REDACTED]');
    expect(text).not.toContain(KEY);
  });
});
