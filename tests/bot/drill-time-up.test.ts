// Time-up on a fake clock, through the whole bot (createBot, handleUpdate, an in-process API
// recorder): a draft still open when the answer time and its grace are over is submitted and
// scored; with no draft the card only says the time is up.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Update } from 'grammy/types';
import { type SessionData, type ZhiliBot } from '../../src/bot/index.ts';
import { drillFeature, DEFAULT_TIMING, type DrillFeature } from '../../src/bot/features/drill.ts';
import { MemorySessionStore } from '../../src/bot/session.ts';
import { graceSeconds } from '../../src/interview/drill.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { apiRecorder, textUpdate, type Recorded } from '../helpers/api-recorder.ts';
import { appForTests, inProcessBot } from './setup.ts';

const CHAT = 4242;
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const testApp = appForTests();

const say = (text: string): Update => textUpdate(text, { id: CHAT, type: 'private' });

interface Harness {
  bot: ZhiliBot;
  feature: DrillFeature;
  store: MemorySessionStore<SessionData>;
  calls: Recorded[];
  sent: () => string[];
  lines: string[];
}

function harness(): Harness {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  const store = new MemorySessionStore<SessionData>();
  const feature = drillFeature({ retriever: testApp().index.retriever, logger: silentLogger, random: () => 0 });
  const bot = inProcessBot(testApp(), { logger, storage: store, features: [feature] });
  const { calls, transformer, texts } = apiRecorder();
  bot.api.config.use(transformer);
  return { bot, feature, store, calls, sent: () => texts(), lines };
}

const PART_ONE = '我认为推进基层治理,首先要把群众的事情摸清楚,组织网格员逐户走访,建立问题清单。';
const PART_TWO = '其次要发动居民议事,让大家一起商量解决办法,定期公开进展,接受群众监督和评议。';
/** past the thinking minute, the answer time and its grace */
const PAST_TIME_UP_MS = (DEFAULT_TIMING.thinkingSeconds + DEFAULT_TIMING.answerSeconds + graceSeconds(DEFAULT_TIMING) + 2) * 1000;

describe('time-up in a drill (fake clock, whole bot)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a draft still open when the answer time and its grace are over is submitted and scored, with a note', async () => {
    const h = harness();
    await h.bot.handleUpdate(say('/drill zh-01'));
    await h.bot.handleUpdate(say(PART_ONE));
    await h.bot.handleUpdate(say(PART_TWO));
    expect(h.sent().filter((t) => t.includes('已记下第'))).toHaveLength(2);

    // just before the grace is over nothing is submitted yet
    await vi.advanceTimersByTimeAsync(PAST_TIME_UP_MS - 5000);
    await h.bot.whenIdle();
    expect(h.sent().some((t) => t.includes('⏰ 作答时间到'))).toBe(false);

    await vi.advanceTimersByTimeAsync(5000);
    await h.bot.whenIdle();
    const texts = h.sent();
    const note = texts.findIndex((t) => t.includes('⏰ 作答时间到') && t.includes('2 段'));
    expect(note).toBeGreaterThanOrEqual(0);
    const review = texts.findIndex((t) => t.includes('评分结果'));
    expect(review).toBeGreaterThan(note);
    expect(texts[review]).toContain('提交时已超出作答时间');

    const session = h.store.read(String(CHAT));
    expect(session?.history?.attempts).toHaveLength(1);
    expect(session?.drill?.draft ?? []).toEqual([]);
    // the log line of the submission names the chat (the bot's own update has no update id)
    const logged = h.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'drill.submitted_at_time_up');
    expect(logged).toMatchObject({ chatId: CHAT, parts: 2 });
    expect(logged).not.toHaveProperty('updateId');

    // once: no second submission later
    const count = h.sent().length;
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    await h.bot.whenIdle();
    expect(h.sent().filter((t) => t.includes('⏰ 作答时间到'))).toHaveLength(1);
    expect(h.sent().length).toBeGreaterThanOrEqual(count);
    h.feature.dispose();
  });

  it('in a mock, a draft submitted at time-up counts for that question and the next one follows', async () => {
    const h = harness();
    await h.bot.handleUpdate(say('/mock'));
    await h.bot.handleUpdate(say(PART_ONE));
    await vi.advanceTimersByTimeAsync(PAST_TIME_UP_MS);
    await h.bot.whenIdle();
    const texts = h.sent();
    expect(texts.some((t) => t.includes('⏰ 作答时间到') && t.includes('1 段'))).toBe(true);
    expect(texts.some((t) => t.includes('第 1/3 题已作答'))).toBe(true);
    const drill = h.store.read(String(CHAT))?.drill;
    expect(drill?.results).toHaveLength(1);
    // on to the examiner's 追问 when the scorer asks one, otherwise to the second question
    if (drill?.phase === 'followup') expect(texts.some((t) => t.includes('考官追问'))).toBe(true);
    else {
      expect(drill).toMatchObject({ kind: 'mock', index: 1, phase: 'thinking' });
      expect(texts.filter((t) => t.includes('模拟面试 · 第 2/3 题'))).toHaveLength(1);
    }
    h.feature.dispose();
  });

  it('with no draft, time-up only shows on the card: nothing is scored', async () => {
    const h = harness();
    await h.bot.handleUpdate(say('/drill zh-01'));
    await vi.advanceTimersByTimeAsync(PAST_TIME_UP_MS + 60_000);
    await h.bot.whenIdle();
    expect(h.sent().some((t) => t.includes('⏰ 作答时间到') || t.includes('评分结果'))).toBe(false);
    expect(h.store.read(String(CHAT))?.history?.attempts ?? []).toHaveLength(0);
    expect(h.feature.timers.size).toBe(0);
    h.feature.dispose();
  });

  it('a draft begun after the time ran out is submitted once the grace is over, the card counting its parts', async () => {
    const h = harness();
    const edits = (): string[] => h.calls.filter((c) => c.method === 'editMessageText').map((c) => String(c.payload['text'] ?? ''));
    await h.bot.handleUpdate(say('/drill zh-01'));
    await vi.advanceTimersByTimeAsync((DEFAULT_TIMING.thinkingSeconds + DEFAULT_TIMING.answerSeconds + 3) * 1000);
    await h.bot.handleUpdate(say(PART_ONE));
    // the countdown's next tick shows the part on the card
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMING.tickSeconds * 1000 + 500);
    expect(edits().at(-1)).toContain('你已发了 1 段');
    await h.bot.handleUpdate(say(PART_TWO));
    await vi.advanceTimersByTimeAsync(graceSeconds(DEFAULT_TIMING) * 1000);
    await h.bot.whenIdle();
    expect(edits().some((t) => t.includes('你已发了 2 段'))).toBe(true);
    expect(h.sent().filter((t) => t.includes('⏰ 作答时间到') && t.includes('2 段'))).toHaveLength(1);
    expect(h.store.read(String(CHAT))?.history?.attempts).toHaveLength(1);
    h.feature.dispose();
  });
});
