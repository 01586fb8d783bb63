// An in-process Bot API for unit-level bot tests (handleUpdate, no sockets): every call is
// recorded and answered ok; sendMessage gets a fresh message id.
import type { Transformer } from 'grammy';

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
