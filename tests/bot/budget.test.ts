// The daily model budget is charged only for answers the model wrote: a question the essays do
// not cover makes no model call and costs nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { buildApp, nextText, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const USER = 6101;
const COVERED = '天津市怎样用网格化管理服务社区居民?';
const ANSWER = '天津市以群众需求为导向,建立了社区网格化管理体系[1]。';

describe('daily model budget', () => {
  let tg: FakeTelegram;
  let ai: FakeOpenAI;
  let app: App;
  let running: RunningBot;
  let data: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    ai = await startFakeOpenAI({ responder: () => ANSWER });
    data = await tempDir();
    app = await buildApp(
      testConfig({
        TELEGRAM_API_ROOT: tg.apiRoot,
        DATA_DIR: data.path,
        OPENAI_API_KEY: 'sk-test-0123456789abcdef',
        OPENAI_BASE_URL: ai.baseURL,
        OPENAI_MODEL: 'fake-model',
        OPENAI_MAX_RETRIES: '0',
        DAILY_LLM_BUDGET: '1',
      }),
    );
    running = await startBot(app);
  });

  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await ai?.close();
    await data?.remove();
  });

  it('is not charged for an uncovered question, then pays for one model answer', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '明天北京天气怎么样?');
    await nextText(tg, USER, since, (text) => text.includes('没有涉及'));
    expect(ai.requestsTo('/chat/completions')).toHaveLength(0);

    since = tg.mark();
    tg.sendText(USER, USER, COVERED);
    const first = await nextText(tg, USER, since, (text) => text.includes('出处'));
    expect(String(first.payload['text'])).not.toContain('回答次数已用完');
    expect(ai.requestsTo('/chat/completions').length).toBeGreaterThan(0);

    since = tg.mark();
    tg.sendText(USER, USER, COVERED);
    await nextText(tg, USER, since, (text) => text.includes('回答次数已用完'));
  });
});
