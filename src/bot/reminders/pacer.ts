// Telegram's broadcast limit: a count of sends per clock second, in memory for one process or in
// Redis for all instances together, and a pacer that waits for the next second when it is full.

/** Telegram allows about 30 messages a second in all; broadcasts keep some room for replies. */
export const BROADCAST_PER_SECOND = 25;

export interface SendPacer {
  /** resolves when one more message may go out */
  acquire(): Promise<void>;
}

/**
 * At most `perSecond` sends in each second of the clock. `count` adds one to that second's tally
 * and returns it: in memory for one process, in Redis (INCR) for all instances together.
 */
export class WindowPacer implements SendPacer {
  constructor(
    private readonly perSecond: number,
    private readonly count: (second: number) => Promise<number>,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      if ((await this.count(Math.floor(now / 1000))) <= this.perSecond) return;
      await this.sleep(1000 - (now % 1000));
    }
  }
}

export function memoryCounter(): (second: number) => Promise<number> {
  const counts = new Map<number, number>();
  return async (second) => {
    for (const old of counts.keys()) if (old < second) counts.delete(old);
    const next = (counts.get(second) ?? 0) + 1;
    counts.set(second, next);
    return next;
  };
}

const INCR_SECOND = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 10) end return n`;

export function redisCounter(client: { eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown> }, prefix = 'zhili:remind:rate:'): (second: number) => Promise<number> {
  return async (second) => Number(await client.eval(INCR_SECOND, 1, `${prefix}${second}`));
}
