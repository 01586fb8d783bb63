// DATA_DIR cannot hold sessions (read-only, full, or not a directory): answers still go out,
// the user is told once, the failure is logged once, and no temporary files are left behind.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSessionStore } from '../../src/bot/session.ts';
import { CANNOT_SAVE_NOTICE } from '../../src/bot/session-guard.ts';
import type { SessionData } from '../../src/bot/index.ts';
import { createLogger } from '../../src/log.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { buildApp, nextText, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const USER = 9501;

describe('sessions that cannot be saved', () => {
  let tg: FakeTelegram;
  let data: { path: string; remove: () => Promise<void> };
  let running: RunningBot;
  const events: string[] = [];

  beforeAll(async () => {
    tg = await startFakeTelegram();
    data = await tempDir();
    // a regular file where the sessions folder should be: nothing can be written there, even by root
    await writeFile(join(data.path, 'blocked'), '');
    const app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
    const logger = createLogger({ level: 'debug', write: (line) => events.push(JSON.parse(line).event) });
    running = await startBot(app, { logger, storage: new FileSessionStore<SessionData>(join(data.path, 'blocked', 'sessions'), logger) });
  });
  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await data?.remove();
  });

  it('still answers every question, says once that progress is not saved, logs the failure once', async () => {
    const questions = ['北辰区的基层治理经验是什么?', '天津市怎样用网格化管理服务社区居民?', '芦篙村征地拆迁时怎样尊重民意?'];
    for (const question of questions) {
      const since = tg.mark();
      tg.sendText(USER, USER, question);
      const answer = await nextText(tg, USER, since, (text) => text.includes('出处'));
      expect(String(answer.payload['text'])).not.toContain('出错');
    }
    await expect.poll(() => tg.calls.filter((c) => c.method === 'sendMessage' && c.payload['text'] === CANNOT_SAVE_NOTICE).length).toBe(1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(tg.calls.filter((c) => c.method === 'sendMessage' && c.payload['text'] === CANNOT_SAVE_NOTICE)).toHaveLength(1);
    expect(events.filter((e) => e === 'session.store_failed')).toHaveLength(1);
    expect(events).not.toContain('bot.update_failed');
  });
});

describe('a disk that fills up (reads work, writes fail)', () => {
  it('answers, tells the user once, logs once', async () => {
    const tg = await startFakeTelegram();
    const data = await tempDir();
    const events: string[] = [];
    try {
      const app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
      const logger = createLogger({ level: 'debug', write: (line) => events.push(JSON.parse(line).event) });
      const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const storage = {
        kind: 'memory' as const,
        read: async () => undefined,
        write: async () => Promise.reject(full),
        delete: async () => undefined,
        flush: async () => undefined,
        close: async () => undefined,
      };
      const running = await startBot(app, { logger, storage });
      try {
        for (const question of ['北辰区的基层治理经验是什么?', '芦篙村征地拆迁时怎样尊重民意?']) {
          const since = tg.mark();
          tg.sendText(USER + 1, USER + 1, question);
          await nextText(tg, USER + 1, since, (text) => text.includes('出处'));
        }
        await expect.poll(() => tg.calls.filter((c) => c.method === 'sendMessage' && c.payload['text'] === CANNOT_SAVE_NOTICE).length).toBe(1);
        expect(events.filter((e) => e === 'session.store_failed')).toHaveLength(1);
      } finally {
        await running.stop();
      }
    } finally {
      await tg.close();
      await data.remove();
    }
  });
});

describe('the file session store on a failing write', () => {
  it('leaves no temporary file behind', async () => {
    const data = await tempDir();
    try {
      const dir = join(data.path, 'sessions');
      // the session file's name is taken by a directory: the final rename fails
      await mkdir(join(dir, '7.json'), { recursive: true });
      const store = new FileSessionStore<{ n: number }>(dir);
      await expect(store.write('7', { n: 1 })).rejects.toThrow();
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      await data.remove();
    }
  });
});
