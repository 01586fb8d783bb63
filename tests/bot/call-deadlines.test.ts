// How long a failing Bot API call can hold up a chat, on a fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callDeadlines, DEFAULT_CALL_DEADLINES } from '../../src/bot/call-deadlines.ts';

const transformer = callDeadlines({ ...DEFAULT_CALL_DEADLINES, maxRetryAttempts: 3, maxRetryDelaySeconds: 30 });

/** a Bot API that never answers until the call is aborted */
const hanging = vi.fn((_method: string, _payload: unknown, signal?: AbortSignal) =>
  new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
);
/** a Bot API that always answers 500 */
const failing = vi.fn(async () => ({ ok: false as const, error_code: 500, description: 'Internal Server Error' }));

describe('Bot API call deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    hanging.mockClear();
    failing.mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function settledAfter(promise: Promise<unknown>): Promise<number> {
    const started = Date.now();
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) await vi.advanceTimersByTimeAsync(100);
    return Date.now() - started;
  }

  it('a typing action, a draft or a button acknowledgement gives up after about two seconds, tried once', async () => {
    for (const method of ['sendChatAction', 'sendMessageDraft', 'answerCallbackQuery']) {
      const ms = await settledAfter(transformer(hanging as never, method as never, {} as never));
      expect(ms).toBeLessThanOrEqual(DEFAULT_CALL_DEADLINES.bestEffortMs + 100);
    }
    expect(hanging).toHaveBeenCalledTimes(3);
    const ms = await settledAfter(transformer(failing as never, 'sendChatAction' as never, {} as never));
    expect(ms).toBeLessThan(200);
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it('a message that keeps failing with 5xx is retried, but the chat is free again within fifteen seconds', async () => {
    const ms = await settledAfter(transformer(failing as never, 'sendMessage' as never, {} as never));
    expect(failing.mock.calls.length).toBeGreaterThan(1);
    expect(ms).toBeLessThanOrEqual(DEFAULT_CALL_DEADLINES.essentialMs + 100);
    const hung = await settledAfter(transformer(hanging as never, 'sendMessage' as never, {} as never));
    expect(hung).toBeLessThanOrEqual(DEFAULT_CALL_DEADLINES.essentialMs + 100);
  });

  it('long polling keeps its own pacing', async () => {
    const polled = transformer(hanging as never, 'getUpdates' as never, {} as never);
    let settled = false;
    polled.catch(() => undefined).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
  });
});
