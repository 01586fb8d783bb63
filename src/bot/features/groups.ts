// Groups: the bot answers commands meant for it, mentions and replies to its messages, and
// stays quiet otherwise. Runs before every other feature.
import type { Message } from 'grammy/types';
import type { Middleware, NextFunction } from 'grammy';
import type { BotContext } from '../context.ts';

/** True when a group message is for this bot. */
export function isAddressedToBot(message: Message, me: { id: number; username: string }): boolean {
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const username = me.username.toLowerCase();
  for (const entity of entities) {
    const part = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (entity.type === 'bot_command' && entity.offset === 0) {
      const target = part.split('@')[1];
      // "/help" reaches every bot in the group; "/help@other_bot" does not concern us
      return target === undefined || target === username;
    }
    if (entity.type === 'mention' && part === `@${username}`) return true;
    if (entity.type === 'text_mention' && entity.user?.id === me.id) return true;
  }
  return message.reply_to_message?.from?.id === me.id;
}

export const groupGate: Middleware<BotContext> = async (ctx: BotContext, next: NextFunction) => {
  const chat = ctx.chat;
  if (ctx.message && chat && (chat.type === 'group' || chat.type === 'supergroup')) {
    if (!isAddressedToBot(ctx.message, ctx.me)) return;
  }
  await next();
};
