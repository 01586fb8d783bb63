// The daily practice reminder as pure functions: reading "/remind 20:30 Asia/Urumqi", local time
// in a time zone, quiet hours, the next time a reminder is due, and what (if anything) to push.
import { nextReviewQuestion, type DrillHistory } from './progress.ts';
import type { InterviewQuestion } from './types.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** No push from 22:30 to 07:30 local time (minutes after midnight; the end is not quiet). */
export const QUIET_HOURS = { from: 22 * 60 + 30, to: 7 * 60 + 30 } as const;

/** A push more than this late (every instance was down) waits for the next day. */
export const LATE_LIMIT_MS = 2 * 3600_000;

const DAY_MS = 24 * 3600_000;

export interface ReminderSetting {
  chatId: number;
  /** local time of day, minutes after midnight */
  minutes: number;
  timeZone: string;
}

export type RemindCommand =
  | { kind: 'show' }
  | { kind: 'off' }
  | { kind: 'set'; minutes: number; timeZone?: string }
  | { kind: 'zone'; timeZone: string }
  | { kind: 'invalid'; reason: string };

export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$|^UTC$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" */
export function clockOfMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function inQuietHours(minutes: number): boolean {
  return minutes >= QUIET_HOURS.from || minutes < QUIET_HOURS.to;
}

const QUIET_TEXT = `${clockOfMinutes(QUIET_HOURS.from)}–${clockOfMinutes(QUIET_HOURS.to)}`;

/** The arguments of /remind: "", "off", "20:30", "20:30 Asia/Urumqi", "tz Asia/Urumqi". */
export function parseRemindArgs(text: string): RemindCommand {
  const words = text.trim().replace(/[：]/g, ':').split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: 'show' };
  const [first, second, ...rest] = words;
  if (rest.length > 0) return { kind: 'invalid', reason: '参数太多了。' };
  if (/^(off|关闭|关|取消|stop)$/i.test(first)) return second ? { kind: 'invalid', reason: '“off”后面不需要别的参数。' } : { kind: 'off' };
  if (/^(tz|时区)$/i.test(first)) {
    if (!second) return { kind: 'invalid', reason: '请在 tz 后面写时区,例如 /remind tz Asia/Urumqi。' };
    return isTimeZone(second) ? { kind: 'zone', timeZone: second } : { kind: 'invalid', reason: `“${second}”不是可识别的时区(例如 Asia/Shanghai、Asia/Urumqi)。` };
  }
  const clock = /^(\d{1,2})[:.点](\d{2})?分?$/.exec(first);
  if (!clock) return { kind: 'invalid', reason: `没看懂“${first}”:时间请写成 20:30 这样的 24 小时制。` };
  const hours = Number(clock[1]);
  const mins = Number(clock[2] ?? '0');
  if (hours > 23 || mins > 59) return { kind: 'invalid', reason: `“${first}”不是有效的时间。` };
  const minutes = hours * 60 + mins;
  if (inQuietHours(minutes)) return { kind: 'invalid', reason: `${QUIET_TEXT} 是免打扰时段,不发提醒:请选 ${clockOfMinutes(QUIET_HOURS.to)}–${clockOfMinutes(QUIET_HOURS.from - 1)} 之间的时间。` };
  if (second && !isTimeZone(second)) return { kind: 'invalid', reason: `“${second}”不是可识别的时区(例如 Asia/Shanghai、Asia/Urumqi)。` };
  return second ? { kind: 'set', minutes, timeZone: second } : { kind: 'set', minutes };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(ms: number, timeZone: string): { year: number; month: number; day: number; minutes: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), minutes: get('hour') * 60 + get('minute') };
}

/** The local calendar day, "YYYY-MM-DD". */
export function localDay(ms: number, timeZone: string): string {
  const p = partsIn(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function localMinutes(ms: number, timeZone: string): number {
  return partsIn(ms, timeZone).minutes;
}

/** The instant of a local wall-clock time (two passes settle a DST change). */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const offset = (at: number): number => {
    const p = partsIn(at, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes) - Math.floor(at / 60_000) * 60_000;
  };
  const first = wall - offset(wall);
  return wall - offset(first);
}

/** The first instant after `afterMs` at which it is `minutes` o'clock in the setting's zone. */
export function nextDueAt(setting: Pick<ReminderSetting, 'minutes' | 'timeZone'>, afterMs: number): number {
  const today = partsIn(afterMs, setting.timeZone);
  for (let add = 0; add < 3; add += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + add));
    const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), setting.minutes, setting.timeZone);
    if (at > afterMs) return at;
  }
  return afterMs + DAY_MS;
}

export function practisedOn(history: DrillHistory, day: string, timeZone: string): boolean {
  return history.attempts.some((a) => localDay(Date.parse(a.at), timeZone) === day);
}

export type ReminderPlan =
  | { kind: 'send'; question: InterviewQuestion; reason: string }
  | { kind: 'skip'; why: 'practised' | 'quiet' | 'late' | 'no-questions' };

/**
 * What the reminder due at `dueAt` does at `now`: nothing when the candidate already practised
 * that day, when it is now quiet hours or the push is hours late; else the question SM-2 says is
 * due (or a new one of the weakest type).
 */
export function planReminder(input: { setting: ReminderSetting; dueAt: number; now: number; history: DrillHistory; bank: InterviewQuestion[] }): ReminderPlan {
  const { setting, dueAt, now, history, bank } = input;
  if (now - dueAt > LATE_LIMIT_MS) return { kind: 'skip', why: 'late' };
  if (inQuietHours(localMinutes(now, setting.timeZone))) return { kind: 'skip', why: 'quiet' };
  if (practisedOn(history, localDay(now, setting.timeZone), setting.timeZone)) return { kind: 'skip', why: 'practised' };
  if (bank.length === 0) return { kind: 'skip', why: 'no-questions' };
  const { question, reason } = nextReviewQuestion(history, bank, new Date(now));
  return { kind: 'send', question, reason };
}
