// A restart mid-conversation: stop the bot, start a new one on the same DATA_DIR, and the
// follow-up is still understood (sessions are files written atomically).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Answerer } from '../../src/answer/answerer.ts';
import { FileSessionStore } from '../../src/bot/session.ts';
import type { SessionData } from '../../src/bot/context.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { buildApp, nextText, startBot, tempDir, testConfig } from './setup.ts';

const USER = 7001;
const QUESTION = '芦篙村征地拆迁时怎样尊重民意?';

describe('restart mid-conversation', () => {
  let tg: FakeTelegram;
  let app: App;
  let data: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    data = await tempDir();
    app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
  });

  afterAll(async () => {
    await tg?.close();
    await data?.remove();
  });

  it('keeps the conversation context across a stop and a fresh bot on the same data dir', async () => {
    const first = await startBot(app);
    let since = tg.mark();
    const asked = tg.sendText(USER, USER, QUESTION);
    await nextText(tg, USER, since, (text) => text.includes('出处'));
    // the runner confirms the update with its next poll; then stop (waits for the session write)
    await tg.waitFor((c) => c.method === 'getUpdates' && Number(c.payload['offset']) > asked.update_id, 3000, { since });
    await first.stop();
    expect(first.polling.runner.isRunning()).toBe(false);

    const files = await readdir(join(data.path, 'sessions'));
    expect(files).toEqual([`${USER}.json`]);

    // a brand-new bot with a brand-new store object, as after a process restart
    const second = await startBot(app, { storage: new FileSessionStore<SessionData>(join(data.path, 'sessions')) });
    try {
      since = tg.mark();
      tg.sendText(USER, USER, '那具体应该怎么做?');
      await nextText(tg, USER, since);
      const reply = tg.lastMessage(USER);
      expect(reply?.text).toContain(`结合上一个问题「${QUESTION}」作答`);
      expect(reply?.text).toContain('出处');
      // the old update was not processed again
      expect(tg.messagesIn(USER).filter((m) => m.text?.includes('结合上一个问题'))).toHaveLength(1);
      expect(tg.messagesIn(USER)).toHaveLength(2);
    } finally {
      await second.stop();
    }
    expect((await readdir(join(data.path, 'sessions'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stopping waits for the update in flight: its answer goes out and its session is saved', async () => {
    const slow = Object.create(app.answerer) as Answerer;
    slow.answer = async (question, options) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      return app.answerer.answer(question, options);
    };
    const running = await startBot(app, { answerer: slow });
    const chat = USER + 1;
    const since = tg.mark();
    tg.sendText(chat, chat, QUESTION);
    await tg.waitFor('sendChatAction', 3000, { since });
    await running.stop();
    expect(tg.lastMessage(chat)?.text).toContain('出处');
    const store = new FileSessionStore<SessionData>(join(data.path, 'sessions'));
    expect((await store.read(String(chat)))?.turns.map((t) => t.q)).toEqual([QUESTION]);
  });
});
