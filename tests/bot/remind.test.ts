// The daily reminder through the fake Bot API on a fake clock (only Date is faked; the scheduler
// is ticked by the test, and the pacer's waits move the fake clock instead of sleeping): opt in,
// the push comes once at the right local time with a button that starts the question, nothing
// on a day already practised, a blocked user is dropped, and a thousand due users stay under
// Telegram's broadcast limit.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.ts';
import { drillFeature, type DrillFeature } from '../../src/bot/features/drill.ts';
import { remindFeature } from '../../src/bot/features/remind.ts';
import { ReminderScheduler, WindowPacer, memoryCounter, BROADCAST_PER_SECOND } from '../../src/bot/reminders/scheduler.ts';
import { FileReminderStore } from '../../src/bot/reminders/store.ts';
import { loadBank, loadCalibration } from '../../src/interview/index.ts';
import type { Logger } from '../../src/log.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../helpers/fake-telegram.js';
import { buildApp, messageIdOf, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const bank = loadBank();
const strong = loadCalibration().find((c) => c.question === 'zh-01' && c.kind === 'strong')!.text;

let tg: FakeTelegram;
let app: App;
let data: { path: string; remove: () => Promise<void> };
let bot: RunningBot;
let drill: DrillFeature;
let store: FileReminderStore;
const logged: Array<{ event: string; fields?: Record<string, unknown> }> = [];
const logger: Logger = {
  ...silentLogger,
  info: (event: string, fields?: Record<string, unknown>) => void logged.push({ event, fields }),
  warn: (event: string, fields?: Record<string, unknown>) => void logged.push({ event, fields }),
} as Logger;

/** the pacer's wait: the fake clock moves on, nobody sleeps */
const fakeSleep = async (ms: number): Promise<void> => void vi.setSystemTime(Date.now() + ms);

function scheduler(): ReminderScheduler {
  return new ReminderScheduler({
    store,
    sessions: bot.bot.sessions,
    api: bot.bot.api,
    bank,
    logger,
    pacer: new WindowPacer(BROADCAST_PER_SECOND, memoryCounter(), Date.now, fakeSleep),
  });
}

beforeAll(async () => {
  tg = await startFakeTelegram();
  data = await tempDir();
  app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
  store = new FileReminderStore(join(data.path, 'reminders.json'), silentLogger);
  drill = drillFeature({ retriever: app.index.retriever, logger: silentLogger, random: () => 0 });
  bot = await startBot(app, { features: [drill, remindFeature({ store, logger })] });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await bot?.stop();
  drill?.dispose();
  await tg?.close();
  await data?.remove();
});

async function waitMessage(chat: number, since: number, test: (text: string) => boolean): Promise<SentMessage> {
  const call = await tg.waitFor((c) => c.method === 'sendMessage' && c.ok === true && Number(c.payload['chat_id']) === chat && test(String(c.payload['text'] ?? '')), 10_000, { since });
  return tg.messagesIn(chat).find((m) => m.message_id === messageIdOf(call))!;
}

const pushesTo = (chat: number, since = 0): number =>
  tg.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === chat && String(c.payload['text']).includes('今天的面试练习')).length;

/** Beijing time on a June day of 2025 */
const beijing = (day: number, clock: string): Date => new Date(`2025-06-${String(day).padStart(2, '0')}T${clock}+08:00`);

describe('/remind', () => {
  it('explains bad input and quiet hours in Chinese, and shows the setting', async () => {
    const chat = 9401;
    const commands = (tg.callsOf('setMyCommands').at(-1)?.payload['commands'] as Array<{ command: string }>).map((c) => c.command);
    expect(commands).toContain('remind');
    let since = tg.mark();
    tg.sendGroupText(-9401, chat, '/remind 20:30');
    await tg.waitFor((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('私聊里设置'), 5000, { since });
    expect(await store.get(String(-9401))).toBeUndefined();
    since = tg.mark();
    tg.sendText(chat, chat, '/remind');
    await waitMessage(chat, since, (t) => t.includes('未开启'));
    since = tg.mark();
    tg.sendText(chat, chat, '/remind 23:15');
    await waitMessage(chat, since, (t) => t.includes('免打扰'));
    since = tg.mark();
    tg.sendText(chat, chat, '/remind 20:30 Mars/Base');
    await waitMessage(chat, since, (t) => t.includes('不是可识别的时区'));
    expect(await store.get(String(chat))).toBeUndefined();
    since = tg.mark();
    tg.sendText(chat, chat, '/remind 21:00 Asia/Urumqi');
    await waitMessage(chat, since, (t) => t.includes('每天 21:00(Asia/Urumqi)'));
    since = tg.mark();
    tg.sendText(chat, chat, '/remind off');
    await waitMessage(chat, since, (t) => t.includes('已关闭'));
    expect(await store.get(String(chat))).toBeUndefined();
  });

  it('opt in: the push comes once at 20:30 Beijing time, starts the question, and skips a day already practised', async () => {
    const chat = 9402;
    const other = 9403; // never opted in
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(beijing(2, '18:00:00'));
    let since = tg.mark();
    tg.sendText(chat, chat, '/remind 20:30');
    await waitMessage(chat, since, (t) => t.includes('每天 20:30(北京时间)'));
    tg.sendText(other, other, '/start');
    const timer = scheduler();

    since = tg.mark();
    vi.setSystemTime(beijing(2, '20:29:50'));
    expect(await timer.tick()).toBe(0);
    vi.setSystemTime(beijing(2, '20:30:10'));
    expect(await timer.tick()).toBe(1);
    expect(await timer.tick()).toBe(0);
    vi.setSystemTime(beijing(2, '21:45:00'));
    expect(await timer.tick()).toBe(0);
    expect(pushesTo(chat, since)).toBe(1);
    expect(pushesTo(other)).toBe(0);
    const push = await waitMessage(chat, since, (t) => t.includes('今天的面试练习'));
    const pushCall = tg.calls.slice(since).find((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('今天的面试练习'))!;
    expect(pushCall.at).toBeGreaterThanOrEqual(beijing(2, '20:30:00').getTime());
    expect(pushCall.at).toBeLessThan(beijing(2, '20:31:00').getTime());
    expect(push.text!.length).toBeLessThanOrEqual(300);
    const start = (push.reply_markup?.inline_keyboard ?? []).flat().map((b) => ('callback_data' in b ? b.callback_data : '')).find((d) => d?.startsWith('d:st:'));
    expect(start).toBeTruthy();

    // the button starts that question; answering it counts as practice for the day
    vi.setSystemTime(beijing(3, '09:00:00'));
    since = tg.mark();
    tg.pressButton(push, start!, chat);
    const card = await waitMessage(chat, since, (t) => t.includes('结构化面试练习'));
    expect(card.text).toContain(bank.find((q) => q.id === start!.slice('d:st:'.length))!.stem.slice(0, 12));
    since = tg.mark();
    tg.sendText(chat, chat, strong);
    await waitMessage(chat, since, (t) => t.includes('评分结果'));
    await bot.bot.whenIdle();
    await bot.bot.sessions.flush();

    since = tg.mark();
    vi.setSystemTime(beijing(3, '20:30:05'));
    expect(await timer.tick()).toBe(0);
    expect(pushesTo(chat, since)).toBe(0);
    // the next day, not yet practised: pushed again
    vi.setSystemTime(beijing(4, '20:30:05'));
    expect(await timer.tick()).toBe(1);
    expect(pushesTo(chat, since)).toBe(1);
  });

  it('started, the scheduler polls by itself: the push goes out on the first poll after it is due', async () => {
    const chat = 9405;
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(beijing(15, '12:00:00'));
    let since = tg.mark();
    tg.sendText(chat, chat, '/remind 12:30');
    await waitMessage(chat, since, (t) => t.includes('每天 12:30'));
    const timer = scheduler();
    timer.start();
    await timer.tick();
    since = tg.mark();
    vi.setSystemTime(beijing(15, '12:30:00'));
    vi.advanceTimersByTime(20_000);
    // nobody ticks by hand: the interval's poll sends it
    await waitMessage(chat, since, (t) => t.includes('今天的面试练习'));
    await timer.stop();
    expect(pushesTo(chat, since)).toBe(1);
    await store.remove(String(chat));
  });

  it('a user who blocked the bot (403) is dropped and logged once', async () => {
    const chat = 9404;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(beijing(10, '07:00:00'));
    const since = tg.mark();
    tg.sendText(chat, chat, '/remind 8:00');
    await waitMessage(chat, since, (t) => t.includes('每天 08:00'));
    tg.blockChat(chat);
    const timer = scheduler();
    vi.setSystemTime(beijing(10, '08:00:30'));
    expect(await timer.tick()).toBe(0);
    expect(await store.get(String(chat))).toBeUndefined();
    vi.setSystemTime(beijing(11, '08:00:30'));
    await timer.tick();
    const attempts = tg.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === chat && String(c.payload['text']).includes('今天的面试练习'));
    expect(attempts).toHaveLength(1);
    expect(logged.filter((l) => l.event === 'remind.opted_out_blocked' && l.fields?.['chatId'] === chat)).toHaveLength(1);
  });

  it('a thousand due users: each gets one push, never more than ~30 a second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(beijing(20, '19:00:00'));
    const due = beijing(20, '19:30:00').getTime();
    const chats = Array.from({ length: 1000 }, (_, i) => 500_000 + i);
    for (const chat of chats) await store.put(String(chat), { chatId: chat, minutes: 19 * 60 + 30, timeZone: 'Asia/Shanghai', nextAt: due });
    vi.setSystemTime(due);
    const since = tg.mark();
    expect(await scheduler().tick()).toBe(1000);
    const sends = tg.calls.slice(since).filter((c) => c.method === 'sendMessage');
    expect(sends).toHaveLength(1000);
    expect(new Set(sends.map((c) => Number(c.payload['chat_id']))).size).toBe(1000);
    const perSecond = new Map<number, number>();
    for (const call of sends) perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(30);
    // and it took the time that rate needs, not longer: about 40 simulated seconds
    expect(perSecond.size).toBeGreaterThanOrEqual(34);
    expect(perSecond.size).toBeLessThanOrEqual(45);
    for (const chat of chats) await store.remove(String(chat));
  }, 60_000);
});
