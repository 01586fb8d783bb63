// How long a Bot API call may hold up a chat. Best-effort calls (typing, drafts, button
// acknowledgements) are tried once with a short deadline, so a failing one never delays the
// real reply; essential ones are retried by auto-retry (429 retry_after, 5xx, network) within a
// bounded total time, after which the error reaches the handler and the user is told.
import { autoRetry } from '@grammyjs/auto-retry';
import type { Transformer } from 'grammy';

export const BEST_EFFORT_METHODS = new Set(['sendChatAction', 'sendMessageDraft', 'answerCallbackQuery', 'answerInlineQuery', 'setMyCommands']);
/** retried by initTelegram or the runner with their own pacing */
const OWN_PACING = new Set(['getMe', 'getUpdates']);
const SLOW_METHODS = new Set(['getFile', 'sendDocument', 'sendPhoto', 'sendVoice']);

export interface CallDeadlines {
  bestEffortMs: number;
  essentialMs: number;
  /** uploads and downloads */
  slowMs: number;
  maxRetryAttempts: number;
  maxRetryDelaySeconds: number;
}

export const DEFAULT_CALL_DEADLINES: Omit<CallDeadlines, 'maxRetryAttempts' | 'maxRetryDelaySeconds'> = { bestEffortMs: 2000, essentialMs: 15_000, slowMs: 60_000 };

type Signal = Parameters<Transformer>[3];

/** The caller's signal, also aborted after `ms`. */
function withDeadline(signal: Signal, ms: number): { signal: Signal; done: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const timer = setTimeout(abort, ms);
  timer.unref?.();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', abort);
  return {
    // grammY types its signal with the abort-controller polyfill; the platform one works the same
    signal: controller.signal as unknown as Signal,
    done: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    },
  };
}

export function callDeadlines(deadlines: CallDeadlines): Transformer {
  const retrying = autoRetry({ maxRetryAttempts: deadlines.maxRetryAttempts, maxDelaySeconds: deadlines.maxRetryDelaySeconds });
  return async (prev, method, payload, signal) => {
    if (OWN_PACING.has(method)) return prev(method, payload, signal);
    const bestEffort = BEST_EFFORT_METHODS.has(method);
    const ms = bestEffort ? deadlines.bestEffortMs : SLOW_METHODS.has(method) ? deadlines.slowMs : deadlines.essentialMs;
    const deadline = withDeadline(signal, ms);
    try {
      return bestEffort ? await prev(method, payload, deadline.signal) : await retrying(prev, method, payload, deadline.signal);
    } finally {
      deadline.done();
    }
  };
}
