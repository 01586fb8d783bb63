// Reminders with several instances on one real redis-server, on a fake clock (only Date is
// faked; the pacer's waits move it): two instances polling together send each reminder once and
// stay under the broadcast limit together; an instance that dies holding a claim does not lose
// the reminder; a restarted instance carries on. And /forget deletes the session and the
// reminder from Redis.
import { Api } from 'grammy';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.ts';
import type { SessionData } from '../../src/bot/context.ts';
import { practiceFeatures } from '../../src/bot/features/practice.ts';
import { RedisReminderStore, type RedisReminderClient } from '../../src/bot/reminders/redis-store.ts';
import { BROADCAST_PER_SECOND, ReminderScheduler, WindowPacer } from '../../src/bot/reminders/scheduler.ts';
import { RedisSessionStore } from '../../src/bot/session.ts';
import { emptyHistory, loadBank, recordAttempt, scoreAnswer } from '../../src/interview/index.ts';
import { localDay } from '../../src/interview/reminders.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { runRedisTests, startRedisServer } from '../helpers/redis.ts';
import { buildApp, messageIdOf, startBot, tempDir, testConfig } from './setup.ts';

const bank = loadBank();
const fakeSleep = async (ms: number): Promise<void> => void vi.setSystemTime(Date.now() + ms);
const beijing = (day: number, clock: string): number => Date.parse(`2025-07-${String(day).padStart(2, '0')}T${clock}+08:00`);

describe.skipIf(!runRedisTests)('reminders on Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let tg: FakeTelegram;
  let app: App;
  let data: { path: string; remove: () => Promise<void> };
  const clients: Redis[] = [];
  const client = (): Redis => {
    const c = new Redis(redis.url);
    clients.push(c);
    return c;
  };

  /** One instance: its own Redis connections and its own Bot API client. */
  function instance(): { store: RedisReminderStore; scheduler: ReminderScheduler } {
    const store = new RedisReminderStore(client() as unknown as RedisReminderClient);
    const sessions = new RedisSessionStore<SessionData>(client());
    const scheduler = new ReminderScheduler({
      store,
      sessions,
      api: new Api(tg.token, { apiRoot: tg.apiRoot }),
      bank,
      logger: silentLogger,
      pacer: new WindowPacer(BROADCAST_PER_SECOND, store.sendCounter(), Date.now, fakeSleep),
    });
    return { store, scheduler };
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    tg = await startFakeTelegram();
    data = await tempDir();
    app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
  });
  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await tg?.close();
    await redis?.stop();
    await data?.remove();
  });

  const pushes = (since: number): number[] =>
    tg.calls
      .slice(since)
      .filter((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('今天的面试练习'))
      .map((c) => Number(c.payload['chat_id']));

  it('two instances polling together send each of 300 reminders once, under ~30 a second together', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const due = beijing(1, '20:30:00');
    vi.setSystemTime(due - 60_000);
    const a = instance();
    const b = instance();
    const chats = Array.from({ length: 300 }, (_, i) => 700_000 + i);
    for (const chat of chats) await a.store.put(String(chat), { chatId: chat, minutes: 20 * 60 + 30, timeZone: 'Asia/Shanghai', nextAt: due });
    vi.setSystemTime(due + 1000);
    const since = tg.mark();
    const [sentA, sentB] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(sentA + sentB).toBe(300);
    const sent = pushes(since);
    expect(sent).toHaveLength(300);
    expect(new Set(sent)).toEqual(new Set(chats));
    const perSecond = new Map<number, number>();
    for (const call of tg.calls.slice(since).filter((c) => c.method === 'sendMessage')) perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(30);
    // polling again, on either instance, sends nothing more that day
    expect(await a.scheduler.tick()).toBe(0);
    expect(await b.scheduler.tick()).toBe(0);
    for (const chat of chats) await a.store.remove(String(chat));
  }, 60_000);

  it('an instance that dies holding a claim does not lose the reminder; a restarted instance carries on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const chat = 710_001;
    const due = beijing(2, '08:00:00');
    vi.setSystemTime(due - 3600_000);
    const dying = instance();
    await dying.store.put(String(chat), { chatId: chat, minutes: 8 * 60, timeZone: 'Asia/Shanghai', nextAt: due });
    vi.setSystemTime(due + 1000);
    // it claimed the slot and then crashed before sending
    expect(await dying.store.claim(String(chat), localDay(due, 'Asia/Shanghai'), Date.now(), 5 * 60_000)).toBe('claimed');
    const other = instance();
    let since = tg.mark();
    expect(await other.scheduler.tick()).toBe(0);
    vi.setSystemTime(due + 6 * 60_000);
    expect(await other.scheduler.tick()).toBe(1);
    expect(await other.scheduler.tick()).toBe(0);
    expect(pushes(since)).toEqual([chat]);

    // every instance restarts: the next day's reminder comes from the new one, once
    await other.scheduler.stop();
    const restarted = instance();
    since = tg.mark();
    vi.setSystemTime(beijing(3, '08:00:20'));
    expect(await restarted.scheduler.tick()).toBe(1);
    expect(await restarted.scheduler.tick()).toBe(0);
    expect(pushes(since)).toEqual([chat]);
    await restarted.store.remove(String(chat));
  });

  it('/forget deletes the session and the reminder from Redis', async () => {
    const chat = 720_001;
    const sessions = new RedisSessionStore<SessionData>(client());
    const reminders = new RedisReminderStore(client() as unknown as RedisReminderClient);
    const question = bank[0]!;
    const review = await scoreAnswer(question, '我会先摸清情况,再组织群众参与协商,最后建立长效机制。'.repeat(5), { retriever: app.index.retriever, logger: silentLogger });
    await sessions.write(String(chat), { v: 1, turns: [], prefs: {}, history: recordAttempt(emptyHistory(), review, new Date()) } as SessionData);
    const bot = await startBot(app, { storage: sessions, features: practiceFeatures(app, silentLogger, { reminders }) });
    try {
      let since = tg.mark();
      tg.sendText(chat, chat, '/remind 20:30');
      await tg.waitFor((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('每天 20:30'), 5000, { since });
      const probe = client();
      expect(await probe.exists(`zhili:session:${chat}`, `zhili:remind:r:${chat}`)).toBe(2);
      expect(await probe.zscore('zhili:remind:due', String(chat))).not.toBeNull();

      since = tg.mark();
      tg.sendText(chat, chat, '/forget');
      const ask = await tg.waitFor((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('删除你的全部练习数据?'), 5000, { since });
      const message = tg.messagesIn(chat).find((m) => m.message_id === messageIdOf(ask))!;
      since = tg.mark();
      tg.pressButton(message, 'f:ok', chat);
      await tg.waitFor((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('已删除你的全部练习数据'), 5000, { since });
      await bot.bot.whenIdle();
      await expect.poll(() => probe.exists(`zhili:session:${chat}`, `zhili:remind:r:${chat}`)).toBe(0);
      expect(await probe.zscore('zhili:remind:due', String(chat))).toBeNull();
    } finally {
      await bot.stop();
    }
  });
});
