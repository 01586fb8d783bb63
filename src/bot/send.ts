// Delivery of rendered messages: HTML first, plain text when Telegram rejects the HTML,
// "message is not modified" treated as success.
import { GrammyError, type Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from '../log.ts';
import type { BotContext } from './context.ts';
import type { OutMessage } from './render.ts';

export function isParseError(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /can't parse entities|unsupported start tag|can't find end/i.test(error.description);
}

export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /message is not modified/i.test(error.description);
}

export function isGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message to edit not found|message can't be edited|MESSAGE_ID_INVALID|message to be replied not found/i.test(error.description)
  );
}

export interface SendOptions {
  replyTo?: number;
  logger: Logger;
}

/** Sends the messages in order; returns what Telegram created. */
export async function sendMessages(api: Api, chatId: number, messages: OutMessage[], options: SendOptions): Promise<Message.TextMessage[]> {
  const sent: Message.TextMessage[] = [];
  for (const [i, message] of messages.entries()) {
    const common = {
      ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
      link_preview_options: { is_disabled: true },
      // in groups the first part answers the user's message
      ...(i === 0 && options.replyTo !== undefined ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } } : {}),
    };
    try {
      sent.push(await api.sendMessage(chatId, message.html, { ...common, parse_mode: 'HTML' }));
    } catch (error) {
      if (!isParseError(error)) throw error;
      options.logger.warn('bot.html_rejected', { chatId, error });
      sent.push(await api.sendMessage(chatId, message.text, common));
    }
  }
  return sent;
}

/** Replaces a message's content; false when it can no longer be edited (the caller sends anew). */
export async function editMessage(api: Api, chatId: number, messageId: number, message: OutMessage, logger: Logger): Promise<boolean> {
  const markup = message.keyboard ? { reply_markup: message.keyboard } : {};
  const common = { ...markup, link_preview_options: { is_disabled: true } };
  /** one try: true edited (or already so), false gone; a parse error only when it may fall back */
  const attempt = async (edit: () => Promise<unknown>, fallsBack: boolean): Promise<boolean | 'unparsed'> => {
    try {
      await edit();
      return true;
    } catch (error) {
      if (isNotModified(error)) return true;
      if (isGone(error)) return false;
      if (!fallsBack || !isParseError(error)) throw error;
      logger.warn('bot.html_rejected', { chatId, error });
      return 'unparsed';
    }
  };
  const html = await attempt(() => api.editMessageText(chatId, messageId, message.html, { ...common, parse_mode: 'HTML' }), true);
  if (html !== 'unparsed') return html;
  return (await attempt(() => api.editMessageText(chatId, messageId, message.text, common), false)) === true;
}

/** In groups, answers quote the message they answer. */
export function replyTarget(ctx: BotContext): number | undefined {
  return ctx.chat && ctx.chat.type !== 'private' ? ctx.msg?.message_id : undefined;
}

export function reply(ctx: BotContext, messages: OutMessage[], logger: Logger): Promise<Message.TextMessage[]> {
  if (!ctx.chat) return Promise.resolve([]);
  return sendMessages(ctx.api, ctx.chat.id, messages, { replyTo: replyTarget(ctx), logger });
}

/**
 * For button presses that navigate (essay browser, excerpt ⇄ paragraph): edits the pressed
 * message in place when the view fits in one message, otherwise sends it.
 */
export async function showInPlace(ctx: BotContext, messages: OutMessage[], logger: Logger): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (message && ctx.chat && messages.length === 1) {
    if (await editMessage(ctx.api, ctx.chat.id, message.message_id, messages[0], logger)) return;
  }
  if (ctx.chat) await sendMessages(ctx.api, ctx.chat.id, messages, { logger });
}

/**
 * Answers a button press. A failure (e.g. "query is too old" after the bot was down) must not
 * stop the action the user asked for, so it is only logged.
 */
export async function ack(ctx: BotContext, logger: Logger, text?: string, alert = false): Promise<void> {
  try {
    await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined);
  } catch (error) {
    logger.debug('bot.callback_answer_failed', { error });
  }
}
