// `npm start` with TELEGRAM_BOT_TOKEN, as a process: TELEGRAM_API_ROOT points it at the fake
// Bot API; SIGTERM shuts it down gracefully (exit 0, sessions on disk, no token in the logs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../helpers/fake-telegram.js';
import { BOT_TOKEN, nextText, startMain, tempDir } from './setup.ts';

const USER = 9001;

describe('npm start with a token', () => {
  it('polls, answers, and on SIGTERM finishes, flushes sessions and exits 0', async () => {
    const tg = await startFakeTelegram({ token: BOT_TOKEN });
    const data = await tempDir();
    try {
      const { child, stderr: output, exited } = startMain(data.path, { TELEGRAM_API_ROOT: tg.apiRoot, LOG_LEVEL: 'info' });

      await tg.waitFor((c) => c.method === 'getUpdates' && c.response === undefined, 25_000);
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
      const stderr = output();
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
  }, 40_000);
});

describe('npm start while another process polls with the same token', () => {
  it('says so in one clear log line and exits 1 (no unhandled rejection, no process left running)', async () => {
    const tg = await startFakeTelegram({ token: BOT_TOKEN });
    const data = await tempDir();
    // the other instance: a long poll already waiting, so ours gets 409 Conflict
    const other = fetch(`${tg.apiRoot}/bot${BOT_TOKEN}/getUpdates?timeout=20`).then((r) => r.text()).catch(() => '');
    try {
      const { stderr: output, exited } = startMain(data.path, { TELEGRAM_API_ROOT: tg.apiRoot, LOG_LEVEL: 'info' });
      const code = await exited;
      const stderr = output();
      expect(code).toBe(1);
      const events = stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { event: string; hint?: string });
      const conflict = events.find((e) => e.event === 'app.polling_conflict');
      expect(conflict?.hint).toContain('409');
      expect(events.map((e) => e.event)).not.toContain('app.unhandled_rejection');
      expect(stderr).not.toContain('[grammY runner]');
    } finally {
      await tg.close();
      await other;
      await data.remove();
    }
  }, 30_000);
});

describe('npm start in webhook mode', () => {
  it('registers the webhook, serves updates posted with the secret, answers /status for an admin, and exits 0 on SIGTERM', async () => {
    const tg = await startFakeTelegram({ token: BOT_TOKEN });
    const data = await tempDir();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const secret = 'main-process-webhook-secret-42';
    try {
      const { child, stderr: output, exited } = startMain(data.path, {
        TELEGRAM_API_ROOT: tg.apiRoot,
        WEBHOOK_URL: 'https://bot.example.com/tg/hook',
        WEBHOOK_SECRET: secret,
        WEBHOOK_PORT: String(port),
        WEBHOOK_HOST: '127.0.0.1',
        ADMIN_USER_IDS: String(USER),
        LOG_LEVEL: 'info',
      });
      const registered = await tg.waitFor('setWebhook', 25_000);
      expect(registered.payload).toMatchObject({ url: 'https://bot.example.com/tg/hook', secret_token: secret });
      await new Promise((r) => setTimeout(r, 300));
      const post = (text: string, id: number): Promise<Response> =>
        fetch(`http://127.0.0.1:${port}/tg/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify({
            update_id: id,
            message: { message_id: id, date: 1, chat: { id: USER, type: 'private', first_name: '管' }, from: { id: USER, is_bot: false, first_name: '管' }, text, ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {}) },
          }),
        });
      let since = tg.mark();
      expect((await post('北辰区的基层治理经验是什么?', 1)).status).toBe(200);
      await nextText(tg, USER, since, (text) => text.includes('出处'));
      since = tg.mark();
      await post('/status', 2);
      const status = await nextText(tg, USER, since, (text) => text.includes('运行时间'));
      expect(String(status.payload['text'])).toContain('webhook');
      expect(String(status.payload['text'])).not.toContain(secret);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).not.toContain(secret);
      expect(output()).not.toContain(BOT_TOKEN.split(':')[1]);
    } finally {
      await tg.close();
      await data.remove();
    }
  }, 30_000);
});
