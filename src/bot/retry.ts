// Trying something at start-up until it works (Redis, Telegram), with a doubling wait between
// tries and a say in each wait, so an instance started during an outage comes up by itself.

export interface RetryOptions {
  /** tries before giving up (Infinity: as long as it takes) */
  attempts: number;
  firstWaitMs: number;
  longestWaitMs: number;
  /** waits before the next try (tests pass their own, to act in between) */
  wait?: (ms: number, attempt: number) => Promise<void>;
  /** an error not worth another try (a rejected token) */
  giveUp?: (error: unknown) => boolean;
  /** before each wait: log it */
  onRetry: (attempt: number, waitMs: number, error: unknown) => void;
}

export async function retrying<T>(tryOnce: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await tryOnce(attempt);
    } catch (error) {
      if (attempt >= options.attempts || options.giveUp?.(error)) throw error;
      const delay = Math.min(options.longestWaitMs, options.firstWaitMs * 2 ** (attempt - 1));
      options.onRetry(attempt, delay, error);
      await wait(delay, attempt);
    }
  }
}
