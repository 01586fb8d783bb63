import { describe, expect, it } from 'vitest';
import { lazyLogger } from '../../src/cli/lazy-logger.ts';
import { createLogger, type Logger } from '../../src/log.ts';

describe("the CLI's logger", () => {
  it('creates the real logger only at its first line at or above the level, and writes what the real one writes', () => {
    const lines: string[] = [];
    let created = 0;
    const logger = lazyLogger('warn', (): Logger => {
      created += 1;
      return createLogger({ level: 'warn', write: (line) => lines.push(line) });
    });
    const child = logger.child({ chatId: 7 });
    logger.info('index.loaded', { chunks: 3 });
    child.debug('noise');
    expect(created).toBe(0);
    child.warn('knowledge.skipped', { warning: 'a.pdf' });
    logger.error('failed', { error: new Error('boom') });
    logger.info('still.dropped');
    expect(created).toBe(1);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>).map(({ time: _time, ...rest }) => rest)).toEqual([
      { level: 'warn', chatId: 7, event: 'knowledge.skipped', warning: 'a.pdf' },
      { level: 'error', event: 'failed', error: { name: 'Error', message: 'boom' } },
    ]);
  });
});
