// The drill countdown on a fake clock: which edits and reminders go out at which moment.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GrammyError, type Api } from 'grammy';
import { DrillTimers, DEFAULT_TIMING } from '../../src/bot/features/drill/timers.ts';
import { beginAnswering, clockOf, type DrillClock, type DrillSession } from '../../src/interview/drill.ts';
import { silentLogger } from '../../src/log.ts';
import type { OutMessage } from '../../src/bot/render.ts';

interface Sent {
  at: number;
  method: 'edit' | 'send';
  text: string;
}

function fakeApi(options: { failEdits?: number; gone?: boolean } = {}): { api: Api; sent: Sent[] } {
  const sent: Sent[] = [];
  let failures = options.failEdits ?? 0;
  const api = {
    async editMessageText(_chat: number, _id: number, text: string) {
      if (options.gone) throw new GrammyError('edit failed', { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' }, 'editMessageText', {});
      if (failures > 0) {
        failures -= 1;
        throw new Error('network down');
      }
      sent.push({ at: Date.now(), method: 'edit', text });
      return true;
    },
    async sendMessage(_chat: number, text: string) {
      sent.push({ at: Date.now(), method: 'send', text });
      return { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text };
    },
  } as unknown as Api;
  return { api, sent };
}

const card = (drill: DrillSession, clock: DrillClock): OutMessage => {
  const text = `${clock.phase} ${Math.round(clock.phaseLeft)} ${drill.index}`;
  return { text, html: text };
};

function drillAt(now: number, overrides: Partial<DrillSession> = {}): DrillSession {
  return { kind: 'single', questionIds: ['rj-01'], index: 0, phase: 'thinking', startedAt: now, phaseStartedAt: now, results: [], cardMessageId: 7, ...overrides };
}

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

describe('the drill countdown on a fake clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('edits about once per tick, switches to the answer time, reminds once near the end, says time is up, then stops', async () => {
    const { api, sent } = fakeApi();
    const timers = new DrillTimers(DEFAULT_TIMING, silentLogger, card);
    timers.ensure('1', api, 1, drillAt(T0));
    await vi.advanceTimersByTimeAsync((DEFAULT_TIMING.thinkingSeconds + DEFAULT_TIMING.answerSeconds + 5) * 1000);

    const edits = sent.filter((s) => s.method === 'edit');
    const total = DEFAULT_TIMING.thinkingSeconds + DEFAULT_TIMING.answerSeconds;
    // one edit per tick (plus the phase changes), never a flood
    expect(edits.length).toBeGreaterThanOrEqual(total / DEFAULT_TIMING.tickSeconds - 2);
    expect(edits.length).toBeLessThanOrEqual(total / DEFAULT_TIMING.tickSeconds + 4);
    const firstAnswering = edits.find((e) => e.text.startsWith('answering'));
    expect(firstAnswering && firstAnswering.at - T0).toBeGreaterThanOrEqual(DEFAULT_TIMING.thinkingSeconds * 1000);
    expect(firstAnswering && firstAnswering.at - T0).toBeLessThan((DEFAULT_TIMING.thinkingSeconds + 1) * 1000);

    const reminders = sent.filter((s) => s.method === 'send');
    expect(reminders).toHaveLength(1);
    expect(reminders[0].text).toContain('作答时间还剩约');
    const reminderAt = (reminders[0].at - T0) / 1000;
    expect(reminderAt).toBeGreaterThanOrEqual(total - DEFAULT_TIMING.reminderSeconds);
    expect(reminderAt).toBeLessThan(total - DEFAULT_TIMING.reminderSeconds + 1);

    // the last edit is at the end of the answer time and shows it is over
    const last = edits[edits.length - 1];
    expect((last.at - T0) / 1000).toBeGreaterThanOrEqual(total);
    expect(last.text).toMatch(/^answering (0|-0)/);
    expect(timers.size).toBe(0);
    const count = sent.length;
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    expect(sent).toHaveLength(count);
  });

  it('开始作答 (the same card, answering from now) reschedules at once; stop ends it with no more edits', async () => {
    const { api, sent } = fakeApi();
    const timers = new DrillTimers(DEFAULT_TIMING, silentLogger, card);
    const drill = drillAt(T0);
    timers.ensure('1', api, 1, drill);
    await vi.advanceTimersByTimeAsync(12_000);
    timers.ensure('1', api, 1, beginAnswering(drill, Date.now()));
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMING.tickSeconds * 1000 + 100);
    expect(sent.at(-1)?.text).toMatch(/^answering 1(7|8)\d/);
    await timers.stop('1');
    const count = sent.length;
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    expect(sent).toHaveLength(count);
    expect(timers.size).toBe(0);
  });

  it('a stored drill that moved on (answered through another instance) stops the countdown before its next edit', async () => {
    const { api, sent } = fakeApi();
    let stored: DrillSession | undefined = drillAt(T0);
    const timers = new DrillTimers(DEFAULT_TIMING, silentLogger, card, async () => stored);
    timers.ensure('1', api, 1, stored);
    await vi.advanceTimersByTimeAsync(25_000);
    const before = sent.length;
    expect(before).toBeGreaterThan(0);
    stored = undefined;
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    expect(sent).toHaveLength(before);
    expect(timers.size).toBe(0);
  });

  it('a deleted card ends the countdown; repeated failures give up after three tries', async () => {
    const gone = fakeApi({ gone: true });
    const timers = new DrillTimers(DEFAULT_TIMING, silentLogger, card);
    timers.ensure('1', gone.api, 1, drillAt(T0));
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMING.tickSeconds * 1000 + 100);
    expect(timers.size).toBe(0);

    const failing = fakeApi({ failEdits: 100 });
    timers.ensure('2', failing.api, 2, drillAt(Date.now()));
    await vi.advanceTimersByTimeAsync(4 * DEFAULT_TIMING.tickSeconds * 1000);
    expect(timers.size).toBe(0);
    expect(failing.sent).toHaveLength(0);

    const flaky = fakeApi({ failEdits: 2 });
    timers.ensure('3', flaky.api, 3, drillAt(Date.now()));
    await vi.advanceTimersByTimeAsync(4 * DEFAULT_TIMING.tickSeconds * 1000);
    expect(timers.has('3')).toBe(true);
    expect(flaky.sent.length).toBeGreaterThan(0);
    timers.dispose();
  });

  it('a mock reminds once when the session is nearly over', async () => {
    const { api, sent } = fakeApi();
    const timers = new DrillTimers(DEFAULT_TIMING, silentLogger, card);
    const endsAt = T0 + DEFAULT_TIMING.mockSeconds * 1000;
    // the third question, begun late: the session ends before its answer time does
    const start = endsAt - 200 * 1000;
    vi.setSystemTime(start);
    const drill = drillAt(start, { kind: 'mock', questionIds: ['a', 'b', 'c'], index: 2, startedAt: T0, endsAt, phase: 'answering' });
    expect(clockOf(drill, start, DEFAULT_TIMING).sessionLeft).toBe(200);
    timers.ensure('1', api, 1, drill);
    await vi.advanceTimersByTimeAsync(200 * 1000);
    const sessionReminders = sent.filter((s) => s.method === 'send' && s.text.includes('本场模拟面试还剩约'));
    expect(sessionReminders).toHaveLength(1);
    expect((sessionReminders[0].at - T0) / 1000).toBeGreaterThanOrEqual(DEFAULT_TIMING.mockSeconds - DEFAULT_TIMING.sessionReminderSeconds);
    timers.dispose();
  });
});
