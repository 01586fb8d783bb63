// Errors → one friendly Chinese sentence for the user, full details in the log.
import { BotError, GrammyError, HttpError, type ErrorHandler } from 'grammy';
import { LlmUnavailableError } from '../answer/llm.ts';
import type { Logger } from '../log.ts';
import type { BotContext } from './context.ts';

/** A failure the user caused or can fix; its message is shown as is. */
export class UserFacingError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

export const GENERIC_APOLOGY = '抱歉,处理这条消息时出了点问题,请稍后再试。';
export const LLM_APOLOGY = '大模型暂时不可用,请稍后再试,或发送 /mode 切换到摘录模式。';

export function userMessageFor(error: unknown): string {
  if (error instanceof UserFacingError) return error.userMessage;
  if (error instanceof LlmUnavailableError) return LLM_APOLOGY;
  return GENERIC_APOLOGY;
}

function describeUpdate(ctx: BotContext): Record<string, unknown> {
  return {
    updateId: ctx.update.update_id,
    chatId: ctx.chat?.id,
    userId: ctx.from?.id,
    kind: Object.keys(ctx.update).find((k) => k !== 'update_id'),
  };
}

/** For bot.catch and errorBoundary: log, then tell the user in one sentence; never throws. */
export function createErrorHandler(logger: Logger): ErrorHandler<BotContext> {
  return async (err: BotError<BotContext>) => {
    const { ctx, error } = err;
    const fields = { ...describeUpdate(ctx), error };
    if (error instanceof UserFacingError) logger.info('bot.user_error', fields);
    else if (error instanceof GrammyError || error instanceof HttpError) logger.warn('bot.telegram_error', fields);
    else logger.error('bot.update_failed', { ...fields, stack: error instanceof Error ? error.stack?.split('\n').slice(0, 6).join(' | ') : undefined });
    // the user blocked the bot or the chat is gone: nobody to tell
    if (error instanceof GrammyError && (error.error_code === 403 || /chat not found/i.test(error.description))) return;
    const text = userMessageFor(error);
    try {
      if (ctx.inlineQuery) {
        await ctx.answerInlineQuery([], { cache_time: 0 });
        return;
      }
      if (ctx.callbackQuery) {
        // the query may have been answered already: then say it in the chat
        const answered = await ctx.answerCallbackQuery({ text, show_alert: true }).then(
          () => true,
          () => false,
        );
        if (answered) return;
      }
      if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, text);
    } catch (replyError) {
      logger.warn('bot.apology_failed', { ...describeUpdate(ctx), error: replyError });
    }
  };
}
