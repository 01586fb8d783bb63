// LLM mode against the fake OpenAI server: drafts in private chats, throttled edits in groups,
// citations with the final message, follow-ups rewritten by the model (or not, when it fails).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { messagesText, splitTags, startFakeOpenAI, thinkContent, type FakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeTelegram, type ApiCall, type FakeTelegram } from '../helpers/fake-telegram.js';
import { buildApp, nextText, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const USER = 6001;
const GROUP = -8001;
const QUESTION = '天津市怎样用网格化管理服务社区居民?';
const ANSWER =
  '天津市以群众需求为导向,建立了社区网格化管理体系[1]。网格化管理的重点是解决群众生活中的实际问题,为居民提供优质服务[1]。社区还不断完善事务公开机制,吸引居民广泛参与网格化管理[1]。';
const REWRITTEN = '天津市的社区网格化管理具体应该怎么做?';
const EDIT_INTERVAL = 400;

describe('LLM mode: streaming and follow-ups', () => {
  let tg: FakeTelegram;
  let ai: FakeOpenAI;
  let app: App;
  let running: RunningBot;
  let data: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    ai = await startFakeOpenAI({
      responder: (body) => (messagesText(body, 'user').includes('新消息') ? REWRITTEN : ANSWER),
      streamChunkSize: 4,
      streamChunkDelayMs: 25,
    });
    data = await tempDir();
    app = await buildApp(
      testConfig({
        TELEGRAM_API_ROOT: tg.apiRoot,
        DATA_DIR: data.path,
        OPENAI_API_KEY: 'sk-test-0123456789abcdef',
        OPENAI_BASE_URL: ai.baseURL,
        OPENAI_MODEL: 'fake-model',
        OPENAI_MAX_RETRIES: '0',
        OPENAI_TIMEOUT_MS: '5000',
      }),
    );
    expect(app.answerer.mode).toBe('llm');
    running = await startBot(app, { options: { editIntervalMs: EDIT_INTERVAL, draftIntervalMs: 60, maxRetryAttempts: 1, maxRetryDelaySeconds: 2 } });
  });

  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await ai?.close();
    await data?.remove();
  });

  const finalAnswer = (chat: number, since: number): Promise<ApiCall> =>
    nextText(tg, chat, since, (text, call) => call.payload['parse_mode'] === 'HTML' && text.includes('出处') && text.includes('[1]'), 8000);

  it('private chat: typing, then growing drafts, then the final message with citations', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, QUESTION);
    const final = await finalAnswer(USER, since);
    const calls = tg.calls.slice(since, tg.calls.indexOf(final));
    const drafts = calls.filter((c) => c.method === 'sendMessageDraft');
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    expect(drafts.every((d) => d.ok)).toBe(true);
    expect(new Set(drafts.map((d) => d.payload['draft_id'])).size).toBe(1);
    const texts = drafts.map((d) => String(d.payload['text']));
    for (let i = 1; i < texts.length; i += 1) expect(texts[i].startsWith(texts[i - 1])).toBe(true);
    expect(ANSWER.startsWith(texts[texts.length - 1])).toBe(true);
    expect(calls.findIndex((c) => c.method === 'sendChatAction')).toBeLessThan(calls.indexOf(drafts[0]));
    expect(calls.some((c) => c.method === 'editMessageText')).toBe(false);
    // the final message: the validated answer, the source list and the buttons
    const message = tg.lastMessage(USER);
    expect(message?.text).toContain('网格化管理的重点是解决群众生活中的实际问题');
    expect(message?.text).toContain('[1] 《');
    expect(message?.reply_markup?.inline_keyboard.flat()[0]).toMatchObject({ callback_data: expect.stringMatching(/^src:/) });
    expect(tg.messagesIn(USER)).toHaveLength(1);
  });

  it('a follow-up is rewritten by the model from the recent turns', async () => {
    const requests = ai.requests.length;
    const since = tg.mark();
    tg.sendText(USER, USER, '那具体应该怎么做?');
    await finalAnswer(USER, since);
    const rewrite = ai.requests.slice(requests).find((r) => JSON.stringify(r.body).includes('新消息'));
    expect(JSON.stringify(rewrite?.body)).toContain(QUESTION);
    expect(tg.lastMessage(USER)?.text).toContain(`按上下文理解为:「${REWRITTEN}」`);
  });

  it('when the rewrite fails, the previous question is used as retrieval context', async () => {
    ai.failNext(1, { status: 500, path: '/chat/completions' });
    const since = tg.mark();
    tg.sendText(USER, USER, '还有呢?');
    await finalAnswer(USER, since);
    expect(tg.lastMessage(USER)?.text).toContain(`结合上一个问题「${REWRITTEN}」作答`);
  });

  it('a group: one placeholder edited at most once per interval, citations in the final edit', async () => {
    const since = tg.mark();
    const asked = tg.sendGroupText(GROUP, USER, `@zhili_test_bot ${QUESTION}`);
    const final = await finalAnswer(GROUP, since);
    expect(final.method).toBe('editMessageText');
    const calls = tg.calls.slice(since);
    expect(calls.some((c) => c.method === 'sendMessageDraft')).toBe(false);
    const placeholder = calls.find((c) => c.method === 'sendMessage' && Number(c.payload['chat_id']) === GROUP);
    expect(String(placeholder?.payload['text'])).toMatch(/ …$/);
    expect(placeholder?.payload['parse_mode']).toBeUndefined();
    expect(placeholder?.payload['reply_parameters']).toMatchObject({ message_id: asked.message?.message_id });
    const updates = calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && Number(c.payload['chat_id']) === GROUP);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    // previews are throttled; only the final edit may follow sooner
    const previews = updates.slice(0, -1);
    for (let i = 1; i < previews.length; i += 1) expect(previews[i].at - previews[i - 1].at).toBeGreaterThanOrEqual(EDIT_INTERVAL - 30);
    const inGroup = tg.messagesIn(GROUP);
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0].text).toContain('出处');
    expect(inGroup[0].reply_markup).toBeDefined();
  });

  it('a stream cut mid-way ends in the extractive answer with a notice', async () => {
    ai.cutStreamNext(1, { path: '/chat/completions', chunksBeforeCut: 4 });
    const since = tg.mark();
    tg.sendText(USER, USER, '/new');
    await nextText(tg, USER, since);
    const asked = tg.mark();
    tg.sendText(USER, USER, QUESTION);
    await finalAnswer(USER, asked);
    expect(tg.lastMessage(USER)?.text).toContain('大模型暂时不可用');
    expect(tg.lastMessage(USER)?.text).toContain('摘录模式');
  });

  it('/mode switches this chat to extractive answers and back', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/mode');
    await nextText(tg, USER, since, (text) => text.includes('回答方式'));
    const menu = tg.lastMessage(USER);
    if (!menu) throw new Error('no menu');
    since = tg.mark();
    tg.pressButton(menu, 'm:e', USER);
    await tg.waitFor('editMessageText', 3000, { since });
    const requests = ai.requests.length;
    since = tg.mark();
    tg.sendText(USER, USER, QUESTION);
    await finalAnswer(USER, since);
    expect(ai.requests.length).toBe(requests);
    expect(tg.lastMessage(USER)?.text).toContain('摘录模式');
    since = tg.mark();
    tg.pressButton(menu.message_id, 'm:l', USER, { chatId: USER });
    await tg.waitFor('editMessageText', 3000, { since });
    expect(tg.messagesIn(USER).find((m) => m.message_id === menu.message_id)?.text).toContain('当前为大模型模式');
  });

  it('a reasoning model: no preview shows its <think> block, and the follow-up is rewritten from what follows it', async () => {
    const reader = 6002;
    ai.setResponder((body) =>
      messagesText(body, 'user').includes('新消息')
        ? thinkContent('用户在追问上一个问题。', REWRITTEN, { openTag: false })
        : splitTags(thinkContent('先看看摘录里有什么。', ANSWER)),
    );
    try {
      let since = tg.mark();
      tg.sendText(reader, reader, QUESTION);
      await finalAnswer(reader, since);
      const shown = (from: number): string[] =>
        tg.calls
          .slice(from)
          .filter((c) => ['sendMessageDraft', 'sendMessage', 'editMessageText'].includes(c.method) && Number(c.payload['chat_id']) === reader)
          .map((c) => String(c.payload['text']));
      expect(shown(since).length).toBeGreaterThanOrEqual(2);
      for (const text of shown(since)) expect(text).not.toMatch(/think|先看看摘录/);
      since = tg.mark();
      tg.sendText(reader, reader, '那具体应该怎么做?');
      await finalAnswer(reader, since);
      expect(tg.lastMessage(reader)?.text).toContain(`按上下文理解为:「${REWRITTEN}」`);
      for (const text of shown(since)) expect(text).not.toMatch(/think|追问上一个问题/);
    } finally {
      ai.setResponder((body) => (messagesText(body, 'user').includes('新消息') ? REWRITTEN : ANSWER));
    }
  });

  it('without drafts (an older Bot API answers 404) private chats fall back to edits', async () => {
    tg.failNext('sendMessageDraft', 1, { error_code: 404, description: 'Not Found: method not found' });
    const since = tg.mark();
    tg.sendText(USER, USER, '北辰区的基层治理经验是什么?');
    const final = await finalAnswer(USER, since);
    expect(final.method).toBe('editMessageText');
    const later = tg.mark();
    tg.sendText(USER, USER, QUESTION);
    await finalAnswer(USER, later);
    expect(tg.calls.slice(later).some((c) => c.method === 'sendMessageDraft')).toBe(false);
  });
});
