// The real bot, started as in production (runner, getMe, deleteWebhook, setMyCommands) but with
// TELEGRAM_API_ROOT pointing at the fake Bot API, driven through a whole conversation.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { EXAMPLE_QUESTIONS } from '../../src/answer/answerer.ts';
import { fileNameFor } from '../../src/bot/session.ts';
import { htmlToText, startFakeTelegram, type FakeTelegram, type SentMessage } from '../helpers/fake-telegram.js';
import { buildApp, buttonsOf, nextText, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const USER = 5001;
const GROUP = -7001;
const QUESTION = '天津市怎样用网格化管理服务社区居民?';

describe('the bot in a whole conversation', () => {
  let tg: FakeTelegram;
  let app: App;
  let running: RunningBot;
  let data: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    data = await tempDir();
    app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
    running = await startBot(app);
  });

  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await data?.remove();
  });

  const last = (chat = USER): SentMessage => {
    const message = tg.lastMessage(chat);
    if (!message) throw new Error('no message');
    return message;
  };
  const dataOf = (message: SentMessage): string[] => (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => ('callback_data' in b ? (b.callback_data ?? '') : ''));

  it('starts like production: getMe, deleteWebhook, the command menu, then long polling', async () => {
    const methods = tg.calls.map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'setMyCommands']);
    const commands = (tg.callsOf('setMyCommands')[0]?.payload['commands'] as Array<{ command: string }>).map((c) => c.command);
    expect(commands).toEqual(['start', 'ask', 'essays', 'new', 'mode', 'help']);
    const poll = await tg.waitFor('getUpdates');
    expect(poll.payload['allowed_updates']).toEqual(['message', 'callback_query', 'inline_query']);
  });

  it('/start: a Chinese welcome with three example questions as buttons', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/start');
    await nextText(tg, USER, since);
    const welcome = last();
    expect(welcome.text).toContain('智理');
    expect(welcome.text).toContain('11 篇');
    expect(welcome.meta.parseMode).toBe('HTML');
    expect(dataOf(welcome)).toEqual(['ex:0', 'ex:1', 'ex:2']);
  });

  it('a question gets a cited answer with a source list and one button per source', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, QUESTION);
    const call = await nextText(tg, USER, since, (text) => text.includes('出处'));
    // typing while retrieving, before the answer
    const typing = tg.calls.findIndex((c, i) => i >= since && c.method === 'sendChatAction' && c.payload['action'] === 'typing');
    expect(typing).toBeGreaterThanOrEqual(since);
    expect(typing).toBeLessThan(tg.calls.indexOf(call));
    const answer = last();
    expect(answer.text).toMatch(/网格化管理.*\[1\]/);
    expect(answer.text).toContain('《基层党建引领社区治理的创新实践与经验启示》付玉红、王秀梅 · 求知 2019年第8期');
    expect(buttonsOf(call)[0]).toMatchObject({ text: expect.stringContaining('[1]'), data: expect.stringMatching(/^src:p\d\d#\d\d$/) });
  });

  it('source buttons name what they open: 《title》 and the section, so excerpts of one essay are told apart', async () => {
    // another chat: the next tests go on from the answer above
    const chat = USER + 77;
    const since = tg.mark();
    tg.sendText(chat, chat, '党建引领社区治理有哪些做法?');
    const call = await nextText(tg, chat, since, (text) => text.includes('出处'));
    const labels = buttonsOf(call).filter((b) => b.data.startsWith('src:')).map((b) => b.text);
    expect(labels.length).toBeGreaterThan(1);
    for (const label of labels) expect(label).toMatch(/^\[\d+\] 《[^》]+》/);
    expect(new Set(labels.map((l) => l.replace(/^\[\d+\] /, ''))).size).toBe(labels.length);
  });

  it('a source button shows the excerpt verbatim, then its surrounding paragraph', async () => {
    const answer = last();
    const [data] = dataOf(answer);
    const chunk = app.index.retriever.chunk(data.slice('src:'.length));
    expect(chunk).toBeDefined();
    let since = tg.mark();
    tg.pressButton(answer, data, USER);
    await tg.waitFor('answerCallbackQuery', 3000, { since });
    await nextText(tg, USER, since);
    const excerpt = last();
    expect(excerpt.message_id).not.toBe(answer.message_id);
    expect(excerpt.text).toContain(chunk?.text ?? '-');
    expect(excerpt.text).toContain('《基层党建引领社区治理的创新实践与经验启示》');
    expect(excerpt.text).toContain(`章节:${chunk?.section}`);
    expect(excerpt.entities?.some((e) => e.type === 'blockquote')).toBe(true);
    expect(dataOf(excerpt)).toEqual([`ctx:${chunk?.id}`]);

    since = tg.mark();
    tg.pressButton(excerpt, `ctx:${chunk?.id}`, USER);
    await tg.waitFor('editMessageText', 3000, { since });
    const paragraph = tg.messagesIn(USER).find((m) => m.message_id === excerpt.message_id);
    expect(paragraph?.text).toContain('上下文段落');
    expect(paragraph?.text).toContain(chunk?.text.slice(0, 40) ?? '-');
    expect(dataOf(paragraph as SentMessage)).toEqual([`exc:${chunk?.id}`]);
  });

  it('a follow-up is understood in the context of the previous question', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '那具体应该怎么做?');
    await nextText(tg, USER, since);
    const reply = last();
    expect(reply.text).toContain(`结合上一个问题「${QUESTION}」作答`);
    expect(reply.text).toContain('出处');
    expect(reply.text).toContain('网格');
  });

  it('an out-of-scope question gets a friendly sentence with suggestions and no sources', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '明天北京的天气怎么样?');
    await nextText(tg, USER, since);
    const reply = last();
    expect(reply.text).toContain('没有涉及');
    expect(reply.text).not.toContain('出处');
    expect(dataOf(reply).every((d) => d.startsWith('ex:'))).toBe(true);
    expect(dataOf(reply).length).toBeGreaterThan(0);
  });

  it('after an out-of-scope question there is no context left to follow up on', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '那具体应该怎么做?');
    await nextText(tg, USER, since);
    expect(last().text).not.toContain('结合上一个问题');
  });

  it('an example button asks its question', async () => {
    const since = tg.mark();
    tg.pressButton(last(), 'ex:0', USER);
    await nextText(tg, USER, since, (text) => text.includes('出处'));
    expect(last().text).toContain(`问:${EXAMPLE_QUESTIONS[0]}`);
    expect(last().text).toContain('北辰');
  });

  it('a greeting, thanks or goodbye gets a reply in kind, not "the essays do not cover this"', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '你好');
    await nextText(tg, USER, since);
    expect(last().text).toContain('您好');
    expect(last().text).not.toContain('没有涉及');
    expect(dataOf(last())).toContain('ex:0');
    since = tg.mark();
    tg.sendText(USER, USER, '谢谢老师!');
    await nextText(tg, USER, since);
    expect(last().text).toContain('不客气');
    expect(last().text).not.toContain('没有涉及');
    // with a question in it, it is a question
    since = tg.mark();
    tg.sendText(USER, USER, '你好,天津社区工作者是怎么招聘的?');
    await nextText(tg, USER, since, (text) => text.includes('出处'));
    expect(last().text).toContain('公开招聘');
  });

  it('emoji alone are not taken as a follow-up: the hint asks for words', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '😀😀😀');
    await nextText(tg, USER, since);
    expect(last().text).toContain('只能读懂文字');
    expect(last().text).not.toContain('结合上一个问题');
  });

  it('a sticker or a photo gets a hint about what the bot accepts', async () => {
    let since = tg.mark();
    tg.sendSticker(USER, USER);
    await nextText(tg, USER, since);
    expect(last().text).toContain('贴纸');
    expect(last().text).toContain('只能读懂文字');
    since = tg.mark();
    tg.pushUpdate({
      message: {
        message_id: 9000,
        date: Math.floor(Date.now() / 1000),
        chat: { id: USER, type: 'private', first_name: '测试用户' },
        from: { id: USER, is_bot: false, first_name: '测试用户' },
        photo: [{ file_id: 'x', file_unique_id: 'x', width: 1, height: 1 }],
      },
    });
    await nextText(tg, USER, since);
    expect(last().text).toContain('图片');
  });

  it('a very long message gets a polite request to shorten it', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '基层治理'.repeat(300));
    await nextText(tg, USER, since);
    expect(last().text).toContain('1200 个字');
    expect(last().text).toContain('精简');
  });

  it('inline mode offers matching excerpts with their source', async () => {
    const since = tg.mark();
    tg.inlineQuery(USER, '网格化');
    const call = await tg.waitFor('answerInlineQuery', 3000, { since });
    expect(call.ok).toBe(true);
    const results = call.payload['results'] as Array<{ id: string; title: string; input_message_content: { message_text: string; parse_mode: string } }>;
    expect(results.length).toBeGreaterThan(0);
    expect(results[0].id).toMatch(/^p\d\d#\d\d$/);
    expect(results[0].title).toMatch(/^《.+》$/);
    const text = htmlToText(results[0].input_message_content.message_text);
    expect(text).toContain('网格化');
    expect(text).toContain(app.index.retriever.chunk(results[0].id)?.text ?? '-');
    // every excerpt offered shows the word searched for (passages found by meaning alone are left out)
    for (const result of results) expect(htmlToText(result.input_message_content.message_text)).toContain('网格化');
  });

  it('groups: chatter is ignored; mentions, replies and commands are answered', async () => {
    const since = tg.mark();
    tg.sendGroupText(GROUP, USER, `大家好,${QUESTION}`);
    const mention = tg.sendGroupText(GROUP, USER, `@zhili_test_bot ${QUESTION}`);
    await nextText(tg, GROUP, since, (text) => text.includes('出处'));
    // updates of one chat run in order: the chatter was handled (ignored) before the mention
    const inGroup = tg.messagesIn(GROUP);
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0].reply_to_message?.message_id).toBe(mention.message?.message_id);
    expect(tg.calls.slice(since).filter((c) => c.method === 'sendChatAction')).toHaveLength(1);

    const before = tg.mark();
    tg.sendGroupText(GROUP, USER, '北辰区的基层治理经验是什么?', { replyTo: inGroup[0].message_id });
    await nextText(tg, GROUP, before, (text) => text.includes('北辰'));
    const afterReply = tg.mark();
    tg.sendGroupText(GROUP, USER, '/help@zhili_test_bot');
    await nextText(tg, GROUP, afterReply, (text) => text.includes('可用命令'));
    const afterHelp = tg.mark();
    tg.sendGroupText(GROUP, USER, '/help@some_other_bot');
    tg.sendGroupText(GROUP, USER, '/new');
    await nextText(tg, GROUP, afterHelp, (text) => text.includes('重新开始'));
    expect(tg.calls.slice(afterHelp).filter((c) => c.method === 'sendMessage')).toHaveLength(1);
  });

  it('/essays: the list, an essay with abstract and sections, a section with its excerpts', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/essays');
    await nextText(tg, USER, since);
    const list = last();
    // 篇十一 repeats 篇八 word for word in the compilation: listed once, with a note
    expect(list.text).toContain('知识库文章(共 10 篇,另有 1 篇重复收录)');
    expect(list.text).toContain('第 11 篇与此篇内容相同');
    expect(dataOf(list)).not.toContain('e:p11');
    expect(list.text).toContain('《浅析甘肃省少数民族地区农村基层治理体制机制的创新》王宝珍、朱玉红 · 新一代 2018年第16期');
    expect(dataOf(list)).toContain('e:p04');

    since = tg.mark();
    tg.pressButton(list, 'e:p04', USER);
    await tg.waitFor('editMessageText', 3000, { since });
    const essay = tg.messagesIn(USER).find((m) => m.message_id === list.message_id) as SentMessage;
    expect(essay.text).toContain('摘要');
    expect(essay.text).toContain('少数民族地区新型农村现代化建设过程中');
    expect(essay.text).toContain('一、当前农村基层治理体制机制存在的问题');
    expect(dataOf(essay)).toContain('sec:p04:1');
    expect(dataOf(essay)).toContain('el');

    since = tg.mark();
    tg.pressButton(essay, 'sec:p04:1', USER);
    await tg.waitFor('editMessageText', 3000, { since });
    const section = tg.messagesIn(USER).find((m) => m.message_id === list.message_id) as SentMessage;
    expect(section.text).toContain('章节:一、当前农村基层治理体制机制存在的问题');
    const sources = dataOf(section).filter((d) => d.startsWith('src:'));
    expect(sources.length).toBeGreaterThan(0);

    since = tg.mark();
    tg.pressButton(section, sources[0], USER);
    await nextText(tg, USER, since);
    expect(last().text).toContain(app.index.retriever.chunk(sources[0].slice(4))?.text ?? '-');
  });

  it('/help lists every command; unknown commands get a pointer to /help', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/help');
    await nextText(tg, USER, since);
    for (const command of ['/start', '/ask', '/essays', '/new', '/mode', '/help']) expect(last().text).toContain(command);
    since = tg.mark();
    tg.sendText(USER, USER, '/foo');
    await nextText(tg, USER, since);
    expect(last().text).toContain('我不认识命令 /foo');
  });

  it('/ask works; /ask without a question explains itself; stale buttons say so', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/ask');
    await nextText(tg, USER, since);
    expect(last().text).toContain('请在 /ask 后面写上您的问题');
    since = tg.mark();
    tg.sendText(USER, USER, '/ask 芦篙村征地拆迁时怎样尊重民意?');
    await nextText(tg, USER, since, (text) => text.includes('出处'));
    since = tg.mark();
    tg.pressButton(last(), 'src:p77#99', USER, { force: true });
    const answered = await tg.waitFor('answerCallbackQuery', 3000, { since });
    expect(String(answered.payload['text'])).toContain('找不到');
  });

  it('when Telegram rejects the HTML, the message is sent again as plain text', async () => {
    const since = tg.mark();
    tg.failNext('sendMessage', 1, { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0" });
    tg.sendText(USER, USER, QUESTION);
    const call = await nextText(tg, USER, since, (text) => text.includes('出处'));
    expect(call.payload['parse_mode']).toBeUndefined();
    expect(last().text).toContain('出处');
    expect(last().text).not.toContain('<b>');
  });

  it('429 Too Many Requests is retried after retry_after', async () => {
    const since = tg.mark();
    tg.failNext('sendMessage', 1, { error_code: 429, retry_after: 1 });
    const started = Date.now();
    tg.sendText(USER, USER, '/new');
    await nextText(tg, USER, since, (text) => text.includes('重新开始'), 6000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const attempts = tg.calls.slice(since).filter((c) => c.method === 'sendMessage');
    expect(attempts.map((c) => c.ok)).toEqual([false, true]);
  });

  it('/new forgot the context, and the session is a file in DATA_DIR/sessions', async () => {
    // the session is written right after the reply went out
    const file = join(data.path, 'sessions', fileNameFor(String(USER)));
    await expect.poll(async () => (JSON.parse(await readFile(file, 'utf8')) as { turns: unknown[] }).turns).toEqual([]);
    const since = tg.mark();
    tg.sendText(USER, USER, '那具体应该怎么做?');
    await nextText(tg, USER, since);
    expect(last().text).not.toContain('结合上一个问题');
  });
});
