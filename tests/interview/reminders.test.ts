// The reminder's pure parts: the command's arguments, local time and quiet hours, the next due
// time in a zone, and what a due reminder pushes.
import { describe, expect, it } from 'vitest';
import { emptyHistory, loadBank, recordAttempt, type Review } from '../../src/interview/index.ts';
import { localDay, nextDueAt, parseRemindArgs, planReminder } from '../../src/interview/reminders.ts';

const bank = loadBank();

describe('/remind arguments', () => {
  it('reads a time, a time with a zone, off, a zone alone, and explains bad input in Chinese', () => {
    expect(parseRemindArgs('')).toEqual({ kind: 'show' });
    expect(parseRemindArgs('20:30')).toEqual({ kind: 'set', minutes: 20 * 60 + 30 });
    expect(parseRemindArgs('8:05')).toEqual({ kind: 'set', minutes: 8 * 60 + 5 });
    expect(parseRemindArgs('20：30 Asia/Urumqi')).toEqual({ kind: 'set', minutes: 20 * 60 + 30, timeZone: 'Asia/Urumqi' });
    expect(parseRemindArgs('off')).toEqual({ kind: 'off' });
    expect(parseRemindArgs('关闭')).toEqual({ kind: 'off' });
    expect(parseRemindArgs('tz Europe/Berlin')).toEqual({ kind: 'zone', timeZone: 'Europe/Berlin' });
    for (const bad of ['25:00', '20:61', 'abc', '20:30 Mars/Base', 'tz Nowhere/City', '20:30 Asia/Urumqi extra']) {
      const parsed = parseRemindArgs(bad);
      expect(parsed.kind, bad).toBe('invalid');
      if (parsed.kind === 'invalid') expect(parsed.reason).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses a time inside the quiet hours (22:30–07:30)', () => {
    for (const quiet of ['22:30', '23:00', '0:00', '7:29']) {
      const parsed = parseRemindArgs(quiet);
      expect(parsed.kind, quiet).toBe('invalid');
      if (parsed.kind === 'invalid') expect(parsed.reason).toContain('免打扰');
    }
    expect(parseRemindArgs('7:30').kind).toBe('set');
    expect(parseRemindArgs('22:29').kind).toBe('set');
  });
});

describe('time zones', () => {
  it('the next 20:30 in Shanghai, Urumqi and Berlin (DST) comes at the right instant', () => {
    const at = Date.parse('2025-06-01T12:00:00Z'); // 20:00 in Shanghai
    expect(new Date(nextDueAt({ minutes: 20 * 60 + 30, timeZone: 'Asia/Shanghai' }, at)).toISOString()).toBe('2025-06-01T12:30:00.000Z');
    expect(new Date(nextDueAt({ minutes: 20 * 60 + 30, timeZone: 'Asia/Shanghai' }, Date.parse('2025-06-01T12:30:00Z'))).toISOString()).toBe('2025-06-02T12:30:00.000Z');
    expect(new Date(nextDueAt({ minutes: 20 * 60 + 30, timeZone: 'Asia/Urumqi' }, at)).toISOString()).toBe('2025-06-01T14:30:00.000Z');
    expect(new Date(nextDueAt({ minutes: 8 * 60, timeZone: 'Europe/Berlin' }, Date.parse('2025-03-29T12:00:00Z'))).toISOString()).toBe('2025-03-30T06:00:00.000Z');
    expect(localDay(Date.parse('2025-06-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2025-06-02');
  });
});

describe('what a due reminder pushes', () => {
  const setting = { chatId: 1, minutes: 20 * 60 + 30, timeZone: 'Asia/Shanghai' };
  const due = Date.parse('2025-06-01T12:30:00Z');
  const review = (questionId: string, total: number): Review => ({ questionId, question: '', type: '综合分析', total, band: '差', dimensions: [], points: [], hits: [], misses: [], feedback: [], mode: 'offline', notices: [], cliches: [], modelAnswer: '' });

  it('the question SM-2 says is due, nothing after a practice that day, nothing in quiet hours or hours late', () => {
    let history = recordAttempt(emptyHistory(), review('yj-02', 30), new Date(due - 3 * 86_400_000));
    const plan = planReminder({ setting, dueAt: due, now: due, history, bank });
    expect(plan.kind === 'send' && plan.question.id).toBe('yj-02');
    expect(plan.kind === 'send' && plan.reason).toContain('复习');
    history = recordAttempt(history, review('zh-01', 70), new Date(due - 3600_000));
    expect(planReminder({ setting, dueAt: due, now: due, history, bank })).toEqual({ kind: 'skip', why: 'practised' });
    expect(planReminder({ setting, dueAt: due, now: due + 3 * 3600_000, history: emptyHistory(), bank })).toEqual({ kind: 'skip', why: 'late' });
    expect(planReminder({ setting, dueAt: Date.parse('2025-06-01T14:29:00Z'), now: Date.parse('2025-06-01T14:35:00Z'), history: emptyHistory(), bank })).toEqual({ kind: 'skip', why: 'quiet' });
  });
});
