// An in-process Bot API for unit-level bot tests (handleUpdate, no sockets): every call is
// recorded and answered ok; sendMessage gets a fresh message id.
import type { Transformer } from 'grammy';
import type { Message, Update } from 'grammy/types';

export interface Recorded {
  method: string;
  payload: Record<string, unknown>;
}

export interface ApiRecorder {
  calls: Recorded[];
  transformer: Transformer;
  /** the texts of the calls of one method (default sendMessage), in order */
  texts: (method?: string) => string[];
}

export function apiRecorder(): ApiRecorder {
  const calls: Recorded[] = [];
  let id = 100;
  const transformer = (async (_prev: unknown, method: string, payload: Record<string, unknown>) => {
    calls.push({ method, payload });
    const result = method === 'sendMessage' ? { message_id: ++id, date: 0, chat: { id: payload['chat_id'], type: 'private' }, text: payload['text'] } : true;
    return { ok: true, result };
    // per-method result types cannot be expressed for a generic recorder
  }) as unknown as Transformer;
  return { calls, transformer, texts: (method = 'sendMessage') => calls.filter((c) => c.method === method).map((c) => String(c.payload['text'] ?? '')) };
}

let lastUpdateId = 0;

/** A fresh update id (and message id) for an update fed to handleUpdate. */
export function nextUpdateId(): number {
  lastUpdateId += 1;
  return lastUpdateId;
}

/** A text message from `from` in a private chat (default: user 11) or a group; commands get their entity. */
export function textUpdate(text: string, chat: { id: number; type: 'private' | 'group' } = { id: 11, type: 'private' }, from = chat.id, extra: Partial<Message> = {}): Update {
  const command = /^\/\w+(@\w+)?/.exec(text);
  const id = nextUpdateId();
  const message = {
    message_id: id,
    date: 0,
    chat: chat.type === 'private' ? { id: chat.id, type: 'private' as const, first_name: '甲' } : { id: chat.id, type: 'group' as const, title: '群' },
    from: { id: from, is_bot: false, first_name: '甲' },
    text,
    ...(command ? { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] } : {}),
    ...extra,
  };
  return { update_id: id, message } as Update;
}
