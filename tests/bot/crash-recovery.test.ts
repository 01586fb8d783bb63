// A long-polling process killed (SIGKILL) while it answers: after a restart every update it had
// fetched but not finished is answered once, none twice, although Telegram already counts them
// as delivered.
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { BOT_TOKEN, startMain, tempDir } from './setup.ts';

/** final answers (HTML messages) per chat since `since` */
function answersTo(tg: FakeTelegram, chat: number, since: number): number {
  return tg.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === chat && c.payload['parse_mode'] === 'HTML' && c.ok === true).length;
}

describe('a crash while answering', () => {
  it('loses nothing and doubles nothing: what was fetched is answered after the restart', async () => {
    // as api.telegram.org does, a new poll ends the one the killed process left open
    const tg = await startFakeTelegram({ token: BOT_TOKEN, conflict: 'terminate-old' });
    const openai = await startFakeOpenAI({ responder: () => '北辰区坚持党建引领[1]。' });
    const data = await tempDir();
    const env = { LOG_LEVEL: 'warn', TELEGRAM_API_ROOT: tg.apiRoot, OPENAI_API_KEY: 'sk-test-crash', OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: 'fake-model' };
    const first = startMain(data.path, env);
    try {
      await tg.waitFor((c) => c.method === 'getUpdates' && c.response === undefined, 25_000);
      // three chats wait on the model (which never answers); chat 9403 has two more queued
      openai.hangNext(50, { path: '/chat/completions' });
      const chats = [9401, 9402, 9403];
      const questions = ['北辰区的基层治理经验是什么?', '天津市怎样用网格化管理服务社区居民?', '芦篙村征地拆迁时怎样尊重民意?'];
      chats.forEach((chat, i) => tg.sendText(chat, chat, questions[i]));
      tg.sendText(9403, 9403, '村民议事会是怎么选出来的?');
      tg.sendText(9403, 9403, '杏花村怎样让村民愿意来开会?');
      await expect.poll(() => openai.requestsTo('/chat/completions').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      // the runner has asked for the next batch: Telegram counts all five as delivered
      const fetched = tg.callsOf('getUpdates').flatMap((c) => (c.response as { result?: Array<{ update_id: number }> } | undefined)?.result ?? []);
      expect(fetched).toHaveLength(5);
      const lastId = Math.max(...fetched.map((u) => u.update_id));
      await tg.waitFor((c) => c.method === 'getUpdates' && Number(c.payload['offset']) > lastId, 10_000);
      expect(chats.every((chat) => answersTo(tg, chat, 0) === 0)).toBe(true);

      first.child.kill('SIGKILL');
      await first.exited;
      openai.reset();

      const since = tg.mark();
      const second = startMain(data.path, env);
      try {
        await expect.poll(() => chats.map((chat) => answersTo(tg, chat, since)), { timeout: 30_000, interval: 200 }).toEqual([1, 1, 3]);
        // and nothing more arrives: each was handled once
        // the new process is polling (nothing left to handle) ...
        await expect.poll(() => tg.calls.slice(since).some((c) => c.method === 'getUpdates' && c.response === undefined), { timeout: 15_000 }).toBe(true);
        expect(chats.map((chat) => answersTo(tg, chat, since))).toEqual([1, 1, 3]);
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    } finally {
      first.child.kill('SIGKILL');
      await tg.close();
      await openai.close();
      await data.remove();
    }
  }, 90_000);
});
