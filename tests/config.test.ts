import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, secretsOf } from '../src/config.ts';
import { createLogger, redact } from '../src/log.ts';

describe('config', () => {
  it('has offline defaults when no variable is set', () => {
    const config = parseConfig({});
    expect(config.openai).toBeUndefined();
    expect(config.telegramToken).toBeUndefined();
    expect(config).toMatchObject({ knowledgeDir: 'knowledge', dataDir: '.data', topK: 5 });
  });

  it('switches on the LLM with OPENAI_API_KEY and reads the optional model settings', () => {
    const config = parseConfig({ OPENAI_API_KEY: 'sk-abc', OPENAI_BASE_URL: 'https://api.deepseek.com/', OPENAI_MODEL: 'deepseek-chat' });
    expect(config.openai).toMatchObject({ apiKey: 'sk-abc', baseURL: 'https://api.deepseek.com', model: 'deepseek-chat' });
  });

  it.each([
    ['RETRIEVAL_TOP_K', 'many'],
    ['OPENAI_TIMEOUT_MS', '-5'],
    ['TELEGRAM_BOT_TOKEN', 'not-a-token'],
    ['TELEGRAM_API_ROOT', 'not a url'],
    ['ALLOWED_USER_IDS', '12,abc'],
    ['LOG_LEVEL', 'loud'],
  ])('names the variable with a bad value: %s=%s', (name, value) => {
    const env = { OPENAI_API_KEY: 'sk-x', [name]: value };
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(name);
  });

  it('keeps secrets out of log lines', () => {
    const token = '123456789:AAE-secret-token-value-xyz';
    const config = parseConfig({ TELEGRAM_BOT_TOKEN: token, OPENAI_API_KEY: 'sk-live-key-1234567890' });
    const lines: string[] = [];
    const logger = createLogger({ secrets: secretsOf(config), write: (line) => lines.push(line) });
    logger.error('failed', { url: `https://api.telegram.org/bot${token}/getMe`, error: new Error(`bad key sk-live-key-1234567890`) });
    expect(lines.join('\n')).not.toContain('secret-token');
    expect(lines.join('\n')).not.toContain('sk-live-key');
    expect(redact(`bot${token}`, [])).toBe('bot[REDACTED]');
  });
});
