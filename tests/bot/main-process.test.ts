// `npm start` with TELEGRAM_BOT_TOKEN, as a process: TELEGRAM_API_ROOT points it at the fake
// Bot API; SIGTERM shuts it down gracefully (exit 0, sessions on disk, no token in the logs).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../helpers/fake-telegram.js';
import { BOT_TOKEN, childEnv, nextText, tempDir } from './setup.ts';

const USER = 9001;

describe('npm start with a token', () => {
  it('polls, answers, and on SIGTERM finishes, flushes sessions and exits 0', async () => {
    const tg = await startFakeTelegram({ token: BOT_TOKEN });
    const data = await tempDir();
    try {
      const child = spawn(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src/main.ts')], {
        cwd: data.path,
        env: childEnv({ DATA_DIR: data.path, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: tg.apiRoot, LOG_LEVEL: 'info' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

      await tg.waitFor((c) => c.method === 'getUpdates' && c.response === undefined, 10_000);
      expect(tg.calls.map((c) => c.method).slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'setMyCommands']);

      let since = tg.mark();
      tg.sendText(USER, USER, '/start');
      await nextText(tg, USER, since);
      since = tg.mark();
      tg.sendText(USER, USER, '北辰区的基层治理经验是什么?');
      await nextText(tg, USER, since, (text) => text.includes('出处'));

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const session = JSON.parse(await readFile(join(data.path, 'sessions', `${USER}.json`), 'utf8')) as { turns: Array<{ q: string }> };
      expect(session.turns.map((t) => t.q)).toEqual(['北辰区的基层治理经验是什么?']);
      const events = stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { event: string }).event);
      expect(events).toEqual(expect.arrayContaining(['bot.started', 'app.ready', 'bot.answered', 'app.shutting_down', 'bot.stopped']));
      expect(stderr).not.toContain(BOT_TOKEN.split(':')[1]);
    } finally {
      await tg.close();
      await data.remove();
    }
  });
});
