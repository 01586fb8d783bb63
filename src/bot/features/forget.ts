// /forget: everything the bot keeps about the user in this chat (practice record, answers and
// reviews, schedule, a drill in progress, the daily reminder, the conversation), deleted after a
// confirmation. Buttons: prefix "f".
import { Composer, InlineKeyboard } from 'grammy';
import type { Logger } from '../../log.ts';
import { callbackData } from '../callbacks.ts';
import { initialSession, sessionKey, type BotContext } from '../context.ts';
import { requestForget } from '../forget-request.ts';
import { bold, compose, para, plain, renderText } from '../render.ts';
import { ack, reply } from '../send.ts';
import type { BotFeature } from '../types.ts';

export interface ForgetFeatureDeps {
  logger: Logger;
  /** data kept outside the session under the same key (the daily reminder), deleted too; the practice record always is */
  alsoForget?: Array<(sessionKey: string) => Promise<void>>;
}

export const FORGET_COMMANDS = [{ command: 'forget', description: '删除我的全部练习数据' }];

const CONFIRM = callbackData('f', 'ok');
const CANCEL = callbackData('f', 'no');

export function forgetFeature(deps: ForgetFeatureDeps): BotFeature {
  const log = deps.logger;
  const composer = new Composer<BotContext>();

  composer.command('forget', async (ctx) => {
    const keyboard = new InlineKeyboard().text('确定全部删除', CONFIRM).text('取消', CANCEL);
    await reply(
      ctx,
      compose(
        [
          para(bold('删除你的全部练习数据?')),
          para(plain('将删除:练习记录(含作答原文和点评)、复习安排、进行中的练习、每日提醒,以及这个聊天的对话上下文和回答方式设置。删除后无法恢复。')),
        ],
        keyboard,
      ),
      log,
    );
  });

  composer.callbackQuery(CANCEL, async (ctx) => {
    await ack(ctx, log, '已取消,什么都没有删除。');
    if (ctx.chat && ctx.callbackQuery.message) await ctx.api.editMessageReplyMarkup(ctx.chat.id, ctx.callbackQuery.message.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  });

  composer.callbackQuery(CONFIRM, async (ctx) => {
    const key = sessionKey(ctx);
    if (!key) {
      await ack(ctx, log);
      return;
    }
    await ack(ctx, log, '正在删除……');
    let complete = true;
    for (const forget of [() => ctx.practice.forget(), ...(deps.alsoForget ?? [])]) {
      try {
        await forget(key);
      } catch (error) {
        complete = false;
        ctx.log.error('forget.failed', { error });
      }
    }
    // the rest of this update sees an empty session; the store deletes it when the update is done
    ctx.session = initialSession();
    requestForget(ctx);
    ctx.log.info('forget.done', { complete });
    await reply(
      ctx,
      renderText(complete ? '已删除你的全部练习数据和每日提醒。以后再练习会重新开始记录。' : '练习分数和进行中的练习已删除,但作答原文或每日提醒暂时没能删除(服务器存储出错),请稍后再发一次 /forget。'),
      log,
    );
  });

  return { name: 'forget', commands: FORGET_COMMANDS, composer };
}
