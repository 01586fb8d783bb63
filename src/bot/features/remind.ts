// /remind: the daily practice reminder. "/remind 20:30" (Beijing time), "/remind 20:30
// Asia/Urumqi", "/remind tz Asia/Urumqi", "/remind off", "/remind" shows the setting. Private
// chats only. The sending is done by the scheduler (reminders/scheduler.ts).
import { Composer } from 'grammy';
import { DEFAULT_TIME_ZONE, nextDueAt, parseRemindArgs, type ReminderSetting } from '../../interview/reminders.ts';
import type { Logger } from '../../log.ts';
import type { BotContext } from '../context.ts';
import { renderText, type OutMessage } from '../render.ts';
import { REMIND_OFF, renderReminderSet, renderReminderStatus } from '../render-remind.ts';
import { ack, reply } from '../send.ts';
import type { BotFeature } from '../types.ts';
import type { ReminderStore } from '../reminders/store.ts';

export interface RemindFeatureDeps {
  store: ReminderStore;
  logger: Logger;
}

export const REMIND_COMMANDS = [{ command: 'remind', description: '每日练习提醒:/remind 20:30,/remind off' }];

const USAGE = '用法:/remind 20:30(每天北京时间 20:30 提醒),/remind 20:30 Asia/Urumqi(指定时区),/remind tz Asia/Urumqi(只换时区),/remind off(关闭)。';

export function remindFeature(deps: RemindFeatureDeps): BotFeature {
  const { store, logger: log } = deps;
  const composer = new Composer<BotContext>();
  const say = async (ctx: BotContext, messages: OutMessage[]): Promise<void> => void (await reply(ctx, messages, log));

  async function answer(ctx: BotContext, key: string, chatId: number): Promise<OutMessage[]> {
    const command = parseRemindArgs(typeof ctx.match === 'string' ? ctx.match : '');
    const existing = await store.get(key);
    switch (command.kind) {
      case 'show':
        return renderReminderStatus(existing);
      case 'off':
        await store.remove(key);
        return renderText(existing ? '已关闭每日练习提醒。想再开启时发送 /remind 20:30。' : '每日练习提醒本来就没有开启。');
      case 'invalid':
        return renderText(`${command.reason}\n${USAGE}`);
      case 'zone':
        if (!existing) return renderText(`还没有开启提醒。请发送 /remind 20:30 ${command.timeZone} 设置时间和时区。`);
        return save(key, { ...existing, timeZone: command.timeZone });
      case 'set':
        return save(key, { chatId, minutes: command.minutes, timeZone: command.timeZone ?? existing?.timeZone ?? DEFAULT_TIME_ZONE });
    }
  }

  async function save(key: string, setting: ReminderSetting): Promise<OutMessage[]> {
    const nextAt = nextDueAt(setting, Date.now());
    await store.put(key, { chatId: setting.chatId, minutes: setting.minutes, timeZone: setting.timeZone, nextAt });
    log.info('remind.set', { chatId: setting.chatId, minutes: setting.minutes, timeZone: setting.timeZone });
    return renderReminderSet(setting, nextAt);
  }

  composer.command('remind', async (ctx) => {
    if (ctx.chat.type !== 'private') {
      await say(ctx, renderText('每日练习提醒请在和我的私聊里设置。'));
      return;
    }
    try {
      await say(ctx, await answer(ctx, String(ctx.chat.id), ctx.chat.id));
    } catch (error) {
      ctx.log.error('remind.store_failed', { error });
      await say(ctx, renderText('提醒设置暂时没能保存(服务器存储出错),请稍后再试。'));
    }
  });

  composer.callbackQuery(REMIND_OFF, async (ctx) => {
    if (!ctx.chat) return ack(ctx, log);
    try {
      await store.remove(String(ctx.chat.id));
      await ack(ctx, log, '已关闭每日练习提醒。');
      await say(ctx, renderText('已关闭每日练习提醒。想再开启时发送 /remind 20:30。'));
    } catch (error) {
      ctx.log.error('remind.store_failed', { error });
      await ack(ctx, log, '暂时没能关闭,请稍后再试。', true);
    }
  });

  return { name: 'remind', commands: REMIND_COMMANDS, composer };
}
