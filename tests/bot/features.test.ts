// Unit level: the bot with an in-process API recorder (no sockets), fed with handleUpdate.
// The extension point for more features, error mapping, access control, groups, follow-ups.
import { describe, expect, it } from 'vitest';
import { Composer } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { Answerer } from '../../src/answer/answerer.ts';
import { LlmUnavailableError } from '../../src/answer/llm.ts';
import { callbackData, type BotContext, type BotDeps, type BotFeature, type SessionData, type ZhiliBot } from '../../src/bot/index.ts';
import { UserFacingError } from '../../src/bot/errors.ts';
import { isAddressedToBot } from '../../src/bot/features/groups.ts';
import { cleanRewrite, looksLikeFollowUp, unknownWords } from '../../src/bot/followup.ts';
import { MemorySessionStore } from '../../src/bot/session.ts';
import { createLogger } from '../../src/log.ts';
import { secretsOf } from '../../src/config.ts';
import { apiRecorder, nextUpdateId, textUpdate, type ApiRecorder } from '../helpers/api-recorder.ts';
import { appForTests, BOT_TOKEN, inProcessBot, testConfig } from './setup.ts';

describe('the bot, unit level', () => {
  const testApp = appForTests();

  const make = (deps: Partial<BotDeps> = {}): { bot: ZhiliBot; rec: ApiRecorder; store: MemorySessionStore<SessionData> } => {
    const store = new MemorySessionStore<SessionData>();
    const bot = inProcessBot(testApp(), { storage: store, ...deps });
    const rec = apiRecorder();
    bot.api.config.use(rec.transformer);
    return { bot, rec, store };
  };

  it('createBot has no side effects: no API call until updates arrive', () => {
    const { rec } = make();
    expect(rec.calls).toEqual([]);
  });

  it('a feature plugs in as a Composer with its commands and its own session field', async () => {
    // what the interview drills (issue 4) will look like, in miniature
    type DrillSession = SessionData & { demo?: { active: boolean; answers: string[] } };
    const composer = new Composer<BotContext>();
    composer.command('demo', async (ctx) => {
      (ctx.session as DrillSession).demo = { active: true, answers: [] };
      await ctx.reply('请作答:', { reply_markup: { inline_keyboard: [[{ text: '结束', callback_data: callbackData('d', 'stop') }]] } });
    });
    composer.callbackQuery(/^d:/, async (ctx) => {
      delete (ctx.session as DrillSession).demo;
      await ctx.answerCallbackQuery({ text: '已结束' });
    });
    composer.on('message:text', async (ctx, next) => {
      const demo = (ctx.session as DrillSession).demo;
      if (!demo?.active) return next();
      demo.answers.push(ctx.message.text);
      await ctx.reply(`收到作答(${demo.answers.length})`);
    });
    const feature: BotFeature = { name: 'demo', composer, commands: [{ command: 'demo', description: '演示练习' }] };
    const { bot, rec, store } = make({ features: [feature] });
    expect(bot.commands.map((c) => c.command)).toEqual(['start', 'ask', 'essays', 'new', 'mode', 'help', 'demo']);

    await bot.handleUpdate(textUpdate('/help'));
    expect(rec.texts().at(-1)).toContain('/demo — 演示练习');
    await bot.handleUpdate(textUpdate('/demo'));
    // while the drill is on, text goes to the drill, not to the Q&A
    await bot.handleUpdate(textUpdate('天津市怎样用网格化管理服务社区居民?'));
    expect(rec.texts().at(-1)).toBe('收到作答(1)');
    expect(JSON.parse(store.data.get('11') ?? '{}')).toMatchObject({ demo: { active: true, answers: ['天津市怎样用网格化管理服务社区居民?'] } });
    await bot.handleUpdate({
      update_id: nextUpdateId(),
      callback_query: { id: 'q1', from: { id: 11, is_bot: false, first_name: '甲' }, chat_instance: 'c', data: 'd:stop', message: { message_id: 1, date: 0, chat: { id: 11, type: 'private', first_name: '甲' } } },
    } as Update);
    await bot.handleUpdate(textUpdate('天津市怎样用网格化管理服务社区居民?'));
    expect(rec.texts().at(-1)).toContain('出处');
  });

  it('a failing handler gets one friendly Chinese sentence, and the bot carries on', async () => {
    let failure: Error = new Error('boom: secret details');
    const broken = Object.create(testApp().answerer) as Answerer;
    broken.answer = async () => {
      throw failure;
    };
    const { bot, rec } = make({ answerer: broken });
    await bot.handleUpdate(textUpdate('北辰区的基层治理经验是什么?'));
    expect(rec.texts().at(-1)).toBe('抱歉,处理这条消息时出了点问题,请稍后再试。');
    failure = new UserFacingError('这个问题需要换个说法。');
    await bot.handleUpdate(textUpdate('北辰区的基层治理经验是什么?'));
    expect(rec.texts().at(-1)).toBe('这个问题需要换个说法。');
    failure = new LlmUnavailableError('down');
    await bot.handleUpdate(textUpdate('北辰区的基层治理经验是什么?'));
    expect(rec.texts().at(-1)).toContain('大模型暂时不可用');
    await bot.handleUpdate(textUpdate('/start'));
    expect(rec.texts().at(-1)).toContain('智理');
    expect(rec.texts().join('\n')).not.toContain('secret');
  });

  it("a handler's log lines carry the chat and the update (ctx.log), secrets still redacted", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets: secretsOf(testApp().config), write: (line) => lines.push(line) });
    const composer = new Composer<BotContext>();
    composer.command('leak', (ctx) => ctx.log.warn('test.leak', { url: `https://api.telegram.org/bot${BOT_TOKEN}/getMe` }));
    const { bot } = make({ logger, features: [{ name: 'leak', composer }] });
    const question = textUpdate('北辰区的基层治理经验是什么?', { id: 77, type: 'private' }, 77);
    await bot.handleUpdate(question);
    const leak = textUpdate('/leak', { id: 77, type: 'private' }, 77);
    await bot.handleUpdate(leak);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => e['event'] === 'bot.answered')).toMatchObject({ chatId: 77, updateId: question.update_id, mode: 'extractive' });
    expect(entries.find((e) => e['event'] === 'test.leak')).toMatchObject({ chatId: 77, updateId: leak.update_id });
    expect(lines.join('\n')).not.toContain(BOT_TOKEN.split(':')[1]);
  });

  it('ALLOWED_USER_IDS keeps strangers out', async () => {
    const config = testConfig({ DATA_DIR: testApp().config.dataDir, ALLOWED_USER_IDS: '11' });
    const { bot, rec } = make({ config });
    await bot.handleUpdate(textUpdate('/start', { id: 12, type: 'private' }, 12));
    expect(rec.texts().at(-1)).toContain('只对受邀用户开放');
    await bot.handleUpdate(textUpdate('/start'));
    expect(rec.texts().at(-1)).toContain('智理');
  });

  it('groups: which messages are for the bot', () => {
    const me = { id: 1, username: 'zhili_bot' };
    const msg = (text: string, entities: Message['entities'] = [], extra: Partial<Message> = {}): Message =>
      ({ message_id: 1, date: 0, chat: { id: -1, type: 'group', title: 'g' }, text, entities, ...extra }) as Message;
    expect(isAddressedToBot(msg('随便聊聊'), me)).toBe(false);
    expect(isAddressedToBot(msg('@zhili_bot 你好', [{ type: 'mention', offset: 0, length: 10 }]), me)).toBe(true);
    expect(isAddressedToBot(msg('@ZHILI_BOT 你好', [{ type: 'mention', offset: 0, length: 10 }]), me)).toBe(true);
    expect(isAddressedToBot(msg('@other_bot 你好', [{ type: 'mention', offset: 0, length: 10 }]), me)).toBe(false);
    expect(isAddressedToBot(msg('/help', [{ type: 'bot_command', offset: 0, length: 5 }]), me)).toBe(true);
    expect(isAddressedToBot(msg('/help@zhili_bot', [{ type: 'bot_command', offset: 0, length: 15 }]), me)).toBe(true);
    expect(isAddressedToBot(msg('/help@other_bot', [{ type: 'bot_command', offset: 0, length: 15 }]), me)).toBe(false);
    const botMessage = { message_id: 2, date: 0, chat: { id: -1, type: 'group', title: 'g' }, from: { id: 1, is_bot: true, first_name: 'b' } } as Message;
    expect(isAddressedToBot(msg('好的', [], { reply_to_message: botMessage as Message['reply_to_message'] }), me)).toBe(true);
  });

  it('follow-ups: which questions are, and what the model may answer', () => {
    for (const q of ['那具体应该怎么做?', '还有呢?', '具体怎么落实?', '那农村呢?', '怎么做?', '举个例子']) expect(looksLikeFollowUp(q)).toBe(true);
    for (const q of ['北辰区的基层治理经验是什么?', '天津市怎样用网格化管理服务社区居民?', '那'.repeat(50)]) expect(looksLikeFollowUp(q)).toBe(false);
    expect(cleanRewrite('改写后的问题:“天津市网格化管理具体怎么做?”\n解释……')).toBe('天津市网格化管理具体怎么做?');
    expect(cleanRewrite('NO_ANSWER')).toBeUndefined();
    expect(cleanRewrite('  \n')).toBeUndefined();
    const retriever = testApp().index.retriever;
    expect(unknownWords(retriever, '那具体应该怎么做?')).toEqual([]);
    expect(unknownWords(retriever, '明天北京的天气怎么样?').length).toBeGreaterThan(0);
  });
});
