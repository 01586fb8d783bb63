// "typing…" while an answer or a score is being prepared: sent at once and repeated (Telegram
// shows it for about five seconds) until the returned stop is called.
import type { Api } from 'grammy';
import type { Logger } from '../log.ts';

export function startTyping(api: Api, chatId: number | undefined, intervalMs: number, logger: Logger, event = 'bot.typing_failed'): () => void {
  if (chatId === undefined) return () => undefined;
  const send = (): void => {
    api.sendChatAction(chatId, 'typing').catch((error: unknown) => logger.debug(event, { chatId, error }));
  };
  send();
  const timer = setInterval(send, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
