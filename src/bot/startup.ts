// Reaching Telegram at start-up: getMe is tried until it answers, with a log line per try and
// the wait before the next, so an instance started while Telegram (or the network) is down says
// so and comes up by itself. A rejected token is not retried.
import { GrammyError, type Bot } from 'grammy';
import type { Logger } from '../log.ts';
import { retrying } from './retry.ts';

export interface InitOptions {
  /** tries before giving up (Infinity: as long as it takes) */
  attempts?: number;
  /** each try may take this long */
  attemptTimeoutMs?: number;
  wait?: (ms: number) => Promise<void>;
}

const FIRST_WAIT_MS = 2000;
const LONGEST_WAIT_MS = 60_000;

export async function initTelegram(bot: Pick<Bot, 'init'>, logger: Logger, options: InitOptions = {}): Promise<void> {
  await retrying(
    async (attempt) => {
      // grammY types its signal with the abort-controller polyfill; the platform one works the same
      await bot.init(AbortSignal.timeout(options.attemptTimeoutMs ?? 10_000) as unknown as Parameters<Bot['init']>[0]);
      if (attempt > 1) logger.info('app.telegram_reached', { attempt });
    },
    {
      attempts: options.attempts ?? Infinity,
      firstWaitMs: FIRST_WAIT_MS,
      longestWaitMs: LONGEST_WAIT_MS,
      wait: options.wait,
      giveUp: (error) => error instanceof GrammyError && error.error_code === 401,
      onRetry: (attempt, ms, error) =>
        logger.warn('app.telegram_unreachable', { attempt, retryInSeconds: ms / 1000, error, hint: `连不上 Telegram,${ms / 1000} 秒后重试。` }),
    },
  );
}
