import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

describe('logger (pino)', () => {
  it('writes one JSON line per event with level, time and event; a child adds its fields; debug is off by default', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    logger.info('bot.started', { mode: 'polling' });
    logger.child?.({ chatId: 42 }).warn('drill.failed', { error: new Error('boom') });
    logger.debug('not.shown');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 'info', event: 'bot.started', mode: 'polling' });
    expect(typeof first.time).toBe('string');
    expect(second).toMatchObject({ level: 'warn', event: 'drill.failed', chatId: 42, error: { name: 'Error', message: 'boom' } });
  });

  it('takes secrets out of any field, child loggers included', () => {
    const lines: string[] = [];
    const logger = createLogger({ secrets: ['very-secret-value'], write: (line) => lines.push(line) });
    logger.child?.({ chatId: 1 }).error('x', { url: 'https://example.invalid/?key=very-secret-value', token: 'bot123456789:AAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(lines.join('\n')).not.toContain('very-secret-value');
    expect(lines.join('\n')).not.toContain('AAAAAAAAAAAAAAAAAAAA');
  });
});
