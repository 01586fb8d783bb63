// A draft whose answer time runs out while the bot is down is submitted when the bot is back,
// without waiting for the chat to send anything: two bots in turn on the same DATA_DIR (a real
// restart in process), and on one real redis-server, on a fake clock. The first bot keeps the
// draft's time-up moment in the deadline store; the second finds it at start-up (or when it
// comes due) and submits the draft through the same own update the countdown uses.
import type { Update } from 'grammy/types';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.ts';
import { type SessionData, type ZhiliBot } from '../../src/bot/index.ts';
import { FileDrillDeadlines, RedisDrillDeadlines, type DrillDeadlineStore, type RedisDeadlineClient } from '../../src/bot/drill-deadlines.ts';
import { drillFeature, DEFAULT_TIMING, type DrillFeature } from '../../src/bot/features/drill.ts';
import { DEADLINE_POLL_MS } from '../../src/bot/features/drill/deadlines.ts';
import { FileSessionStore, RedisSessionStore, type SessionStore } from '../../src/bot/session.ts';
import { graceSeconds } from '../../src/interview/drill.ts';
import { silentLogger } from '../../src/log.ts';
import { apiRecorder, textUpdate } from '../helpers/api-recorder.ts';
import { runRedisTests, startRedisServer } from '../helpers/redis.ts';
import { buildApp, inProcessBot, tempDir, testConfig } from './setup.ts';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const PART_ONE = '我认为推进基层治理,首先要把群众的事情摸清楚,组织网格员逐户走访,建立问题清单。';
/** the thinking minute, the answer time and its grace */
const TIME_UP_MS = (DEFAULT_TIMING.thinkingSeconds + DEFAULT_TIMING.answerSeconds + graceSeconds(DEFAULT_TIMING)) * 1000;

let app: App;
let data: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  data = await tempDir();
  app = await buildApp(testConfig({ DATA_DIR: data.path }));
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await data?.remove();
});

interface Instance {
  bot: ZhiliBot;
  feature: DrillFeature;
  sent: () => string[];
  /** the process goes away: its countdowns with it (nothing is submitted on the way out) */
  crash: () => Promise<void>;
}

function instance(sessions: SessionStore<SessionData>, deadlines: DrillDeadlineStore): Instance {
  const feature = drillFeature({ retriever: app.index.retriever, logger: silentLogger, random: () => 0, sessions, deadlines });
  const bot = inProcessBot(app, { storage: sessions, features: [feature] });
  const { transformer, texts } = apiRecorder();
  bot.api.config.use(transformer);
  return {
    bot,
    feature,
    sent: () => texts(),
    crash: async () => {
      feature.dispose();
      await sessions.flush();
    },
  };
}

const say = (chat: number, text: string): Update => textUpdate(text, { id: chat, type: 'private' });

/** /drill zh-01 at T0, then one part of an answer: a draft, due at T0 + TIME_UP_MS. */
async function draftThenCrash(first: Instance, chat: number): Promise<void> {
  await first.bot.handleUpdate(say(chat, '/drill zh-01'));
  await first.bot.handleUpdate(say(chat, PART_ONE));
  expect(first.sent().some((t) => t.includes('已记下第 1 段'))).toBe(true);
  await first.crash();
}

describe('a restart with a draft open (file sessions in DATA_DIR)', () => {
  const sessionsDir = (): string => join(data.path, 'sessions');
  const deadlinesFile = (): string => join(data.path, 'drill-deadlines.json');

  it('time up while the bot was down: the new bot submits the draft at start-up, before the chat sends anything', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(T0);
    const CHAT = 5101;
    const first = instance(new FileSessionStore(sessionsDir()), new FileDrillDeadlines(deadlinesFile(), silentLogger));
    await draftThenCrash(first, CHAT);
    const stored = await new FileDrillDeadlines(deadlinesFile(), silentLogger).due(Number.MAX_SAFE_INTEGER, 10);
    expect(stored).toEqual([expect.objectContaining({ key: String(CHAT), chatId: CHAT, chatType: 'private', userId: CHAT, index: 0, dueAt: T0 + TIME_UP_MS })]);

    // down for ten minutes
    vi.setSystemTime(T0 + TIME_UP_MS + 10 * 60_000);
    const sessions = new FileSessionStore<SessionData>(sessionsDir());
    const deadlines = new FileDrillDeadlines(deadlinesFile(), silentLogger);
    const second = instance(sessions, deadlines);
    await second.feature.resume();
    await second.bot.whenIdle();
    const texts = second.sent();
    const note = texts.findIndex((t) => t.includes('⏰ 作答时间到,已自动提交你发的 1 段作答'));
    expect(note).toBeGreaterThanOrEqual(0);
    const review = texts.findIndex((t) => t.includes('评分结果'));
    expect(review).toBeGreaterThan(note);
    expect(texts[review]).toContain('提交时已超出作答时间');
    const session = await sessions.read(String(CHAT));
    expect(session?.history?.attempts).toHaveLength(1);
    expect(session?.drill).toBeUndefined();
    expect(await deadlines.due(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);

    // once only
    await vi.advanceTimersByTimeAsync(3 * DEADLINE_POLL_MS);
    await second.bot.whenIdle();
    expect(second.sent().filter((t) => t.includes('⏰ 作答时间到'))).toHaveLength(1);
    second.feature.dispose();
  });

  it('back before the time is up: the draft is submitted when it comes due, with no countdown running for it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(T0);
    const CHAT = 5102;
    const first = instance(new FileSessionStore(sessionsDir()), new FileDrillDeadlines(deadlinesFile(), silentLogger));
    await draftThenCrash(first, CHAT);

    vi.setSystemTime(T0 + 90_000);
    const sessions = new FileSessionStore<SessionData>(sessionsDir());
    const second = instance(sessions, new FileDrillDeadlines(deadlinesFile(), silentLogger));
    await second.feature.resume();
    await second.bot.whenIdle();
    expect(second.sent()).toEqual([]);
    expect(second.feature.timers.size).toBe(0);

    // just before it is due (the poll leaves it a few seconds to a countdown that may run elsewhere)
    await vi.advanceTimersByTimeAsync(TIME_UP_MS - 90_000 - 1000);
    expect(second.sent()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * DEADLINE_POLL_MS);
    // the poll's file writes are real I/O: wait for the submission it starts
    await vi.waitFor(() => expect(second.sent().some((t) => t.includes('评分结果'))).toBe(true));
    await second.bot.whenIdle();
    expect(second.sent().filter((t) => t.includes('⏰ 作答时间到,已自动提交你发的 1 段作答'))).toHaveLength(1);
    expect(second.sent().some((t) => t.includes('评分结果'))).toBe(true);
    expect((await sessions.read(String(CHAT)))?.history?.attempts).toHaveLength(1);
    second.feature.dispose();
  });

  it('a draft answered before the restart leaves nothing behind to submit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(T0);
    const CHAT = 5103;
    const first = instance(new FileSessionStore(sessionsDir()), new FileDrillDeadlines(deadlinesFile(), silentLogger));
    await first.bot.handleUpdate(say(CHAT, '/drill zh-01'));
    await first.bot.handleUpdate(say(CHAT, PART_ONE));
    const deadlines = (): Promise<string[]> => new FileDrillDeadlines(deadlinesFile(), silentLogger).due(Number.MAX_SAFE_INTEGER, 10).then((all) => all.map((e) => e.key));
    expect(await deadlines()).toContain(String(CHAT));
    await first.bot.handleUpdate(say(CHAT, '/new'));
    expect(await deadlines()).not.toContain(String(CHAT));
    await first.crash();
  });
});

describe.skipIf(!runRedisTests)('a restart with a draft open (Redis sessions)', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const clients: Redis[] = [];
  const client = (): Redis => {
    const c = new Redis(redis.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it('the deadline is in a sorted set; the instance started after the time is up submits the draft and empties it', async () => {
    // only the clock is faked: ioredis keeps its own timers
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const CHAT = 5201;
    const peek = client();
    const first = instance(new RedisSessionStore(client()), new RedisDrillDeadlines(client() as unknown as RedisDeadlineClient));
    await draftThenCrash(first, CHAT);
    expect(await peek.zrange('zhili:drill:due', '0', '-1', 'WITHSCORES')).toEqual([String(CHAT), String(T0 + TIME_UP_MS)]);
    expect(await peek.hkeys('zhili:drill:deadline')).toEqual([String(CHAT)]);

    vi.setSystemTime(T0 + TIME_UP_MS + 60_000);
    const sessions = new RedisSessionStore<SessionData>(client());
    const second = instance(sessions, new RedisDrillDeadlines(client() as unknown as RedisDeadlineClient));
    await second.feature.resume();
    await second.bot.whenIdle();
    expect(second.sent().some((t) => t.includes('⏰ 作答时间到,已自动提交你发的 1 段作答'))).toBe(true);
    expect(second.sent().some((t) => t.includes('评分结果'))).toBe(true);
    expect((await sessions.read(String(CHAT)))?.history?.attempts).toHaveLength(1);
    expect(await peek.zcard('zhili:drill:due')).toBe(0);
    expect(await peek.hlen('zhili:drill:deadline')).toBe(0);
    second.feature.dispose();
  });

  it('two instances back at once: the draft is submitted once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const CHAT = 5202;
    const sessions = new RedisSessionStore<SessionData>(client());
    const first = instance(sessions, new RedisDrillDeadlines(client() as unknown as RedisDeadlineClient));
    await draftThenCrash(first, CHAT);

    vi.setSystemTime(T0 + TIME_UP_MS + 60_000);
    const a = instance(new RedisSessionStore(client()), new RedisDrillDeadlines(client() as unknown as RedisDeadlineClient));
    const b = instance(new RedisSessionStore(client()), new RedisDrillDeadlines(client() as unknown as RedisDeadlineClient));
    await Promise.all([a.feature.resume(), b.feature.resume()]);
    await Promise.all([a.bot.whenIdle(), b.bot.whenIdle()]);
    const notes = [...a.sent(), ...b.sent()].filter((t) => t.includes('⏰ 作答时间到'));
    expect(notes).toHaveLength(1);
    expect((await sessions.read(String(CHAT)))?.history?.attempts).toHaveLength(1);
    a.feature.dispose();
    b.feature.dispose();
  });
});
