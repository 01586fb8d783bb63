// Reaching Telegram at start-up: getMe is tried until it answers, with a log line per try and
// the wait before the next, so an instance started while Telegram (or the network) is down says
// so and comes up by itself. A rejected token is not retried.
import { GrammyError, type Bot } from 'grammy';
import type { Logger } from '../log.ts';

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
  const attempts = options.attempts ?? Infinity;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      // grammY types its signal with the abort-controller polyfill; the platform one works the same
      await bot.init(AbortSignal.timeout(options.attemptTimeoutMs ?? 10_000) as unknown as Parameters<Bot["init"]>[0]);
      if (attempt > 1) logger.info('app.telegram_reached', { attempt });
      return;
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 401) throw error;
      if (attempt >= attempts) throw error;
      const delay = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (attempt - 1));
      logger.warn('app.telegram_unreachable', { attempt, retryInSeconds: delay / 1000, error, hint: `连不上 Telegram,${delay / 1000} 秒后重试。` });
      await wait(delay);
    }
  }
}
