// Views of the daily reminder: the push itself (one short message, a button to start the
// question) and the answers to /remind. Buttons: "d:st:<id>" (start that question), "r:off".
import { InlineKeyboard } from 'grammy';
import type { InterviewQuestion } from '../interview/index.ts';
import { clockOfMinutes, DEFAULT_TIME_ZONE, QUIET_HOURS, type ReminderSetting } from '../interview/reminders.ts';
import { callbackData } from './callbacks.ts';
import { tryButton } from './drill-actions.ts';
import { bold, clip, compose, italic, para, plain, type OutMessage } from './render.ts';

export const REMIND_OFF = callbackData('r', 'off');

export function renderReminderPush(question: InterviewQuestion, reason: string): OutMessage[] {
  const keyboard = new InlineKeyboard();
  tryButton(keyboard, '开始这道题', { kind: 'start', questionId: question.id });
  keyboard.row().text('关闭每日提醒', REMIND_OFF);
  return compose([para(bold('⏰ 今天的面试练习')), para(plain(reason)), para(bold(`【${question.type}】`), plain(clip(question.stem, 80)))], keyboard);
}

const zoneNote = (timeZone: string): string => (timeZone === DEFAULT_TIME_ZONE ? '北京时间' : timeZone);
const QUIET = `${clockOfMinutes(QUIET_HOURS.from)}–${clockOfMinutes(QUIET_HOURS.to)}`;

export function renderReminderSet(setting: ReminderSetting, nextAt: number): OutMessage[] {
  const next = new Intl.DateTimeFormat('zh-CN', { timeZone: setting.timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(nextAt));
  return compose([
    para(bold(`✅ 每天 ${clockOfMinutes(setting.minutes)}(${zoneNote(setting.timeZone)})提醒你练一道题`)),
    para(plain(`下一次:${next}。当天已经练过就不打扰;${QUIET} 免打扰。`)),
    para(italic('关闭:/remind off;换时区:/remind tz Asia/Urumqi')),
  ]);
}

export function renderReminderStatus(setting: ReminderSetting | undefined): OutMessage[] {
  if (!setting) {
    return compose([
      para(bold('每日练习提醒:未开启')),
      para(plain(`发送 /remind 20:30 这样的命令,每天这个时间推送一道该复习的题(默认北京时间;其他时区如 /remind 20:30 Asia/Urumqi)。${QUIET} 是免打扰时段。`)),
    ]);
  }
  return compose(
    [para(bold(`每日练习提醒:每天 ${clockOfMinutes(setting.minutes)}(${zoneNote(setting.timeZone)})`)), para(italic('改时间:/remind 21:00;换时区:/remind tz Asia/Urumqi;关闭:/remind off'))],
    new InlineKeyboard().text('关闭每日提醒', REMIND_OFF),
  );
}
