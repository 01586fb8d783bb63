// What a webhook test sends: a text update, POSTed with the secret-token header.
import type { Update } from 'grammy/types';
import type { WebhookServer } from '../../src/bot/webhook.ts';

export function textUpdate(updateId: number, chatId: number, text: string): Update {
  return {
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: '测试' }, from: { id: chatId, is_bot: false, first_name: '测试' }, text },
  } as Update;
}

/** POSTs an update to the server's /hook; the HTTP status. */
export async function postUpdate(server: WebhookServer, update: Update, secret: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${server.port}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
  await response.text();
  return response.status;
}
