import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { initTelegram } from '../../src/bot/startup.ts';
import { createLogger } from '../../src/log.ts';

function events(): { logger: ReturnType<typeof createLogger>; lines: Array<{ event: string; retryInSeconds?: number; hint?: string }> } {
  const lines: Array<{ event: string; retryInSeconds?: number; hint?: string }> = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }), lines };
}

describe('reaching Telegram at start-up', () => {
  it('tries again with a growing wait and a log line per failed try, then comes up', async () => {
    let calls = 0;
    const bot = {
      async init(): Promise<void> {
        calls += 1;
        if (calls < 4) throw new Error('connect ECONNREFUSED 127.0.0.1:443');
      },
    };
    const { logger, lines } = events();
    const waits: number[] = [];
    await initTelegram(bot, logger, { wait: async (ms) => void waits.push(ms) });
    expect(calls).toBe(4);
    expect(waits).toEqual([2000, 4000, 8000]);
    const unreachable = lines.filter((l) => l.event === 'app.telegram_unreachable');
    expect(unreachable.map((l) => l.retryInSeconds)).toEqual([2, 4, 8]);
    expect(unreachable[0].hint).toContain('连不上 Telegram');
    expect(lines.at(-1)?.event).toBe('app.telegram_reached');
  });

  it('does not retry a rejected token, and gives up after the tries it is given', async () => {
    const rejected = { init: async () => Promise.reject(new GrammyError('401', { ok: false, error_code: 401, description: 'Unauthorized' }, 'getMe', {})) };
    const waits: number[] = [];
    await expect(initTelegram(rejected, events().logger, { wait: async (ms) => void waits.push(ms) })).rejects.toThrow(GrammyError);
    expect(waits).toEqual([]);
    const down = { init: async () => Promise.reject(new Error('down')) };
    await expect(initTelegram(down, events().logger, { attempts: 3, wait: async (ms) => void waits.push(ms) })).rejects.toThrow('down');
    expect(waits).toHaveLength(2);
  });
});
