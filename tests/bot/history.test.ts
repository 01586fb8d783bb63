// The practice record through the fake Bot API: a drill leaves its answer and review behind,
// /history lists it and reopens it (answer verbatim, details, reference answer), an attempt is
// deleted after a confirmation, 常漏要点 gathers the points missed in several attempts, /export
// sends the record as a PDF that opens and holds the Chinese text, and /forget deletes it all.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { drillFeature, type DrillFeature } from '../../src/bot/features/drill.ts';
import { historyFeature } from '../../src/bot/features/history.ts';
import { forgetFeature } from '../../src/bot/features/forget.ts';
import { exportFeature } from '../../src/bot/features/export.ts';
import { extractText, getDocumentProxy } from 'unpdf';
import type { SessionData } from '../../src/bot/context.ts';
import { fileNameFor } from '../../src/bot/session.ts';
import { loadBank, loadCalibration, recordAttempt, scoreAnswer, emptyHistory } from '../../src/interview/index.ts';
import { attemptDetailOf, type AttemptDetail } from '../../src/interview/review-record.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeTelegram, type FakeTelegram, type SentMessage, type UploadedFile } from '../helpers/fake-telegram.js';
import { buildApp, messageIdOf, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const bank = loadBank();
const calibration = loadCalibration();
const answerOf = (question: string, kind: 'strong' | 'medium' | 'weak'): string => {
  const found = calibration.find((c) => c.question === question && c.kind === kind);
  if (!found) throw new Error(`no ${kind} answer for ${question}`);
  return found.text.trim();
};

let tg: FakeTelegram;
let app: App;
let data: { path: string; remove: () => Promise<void> };
let bot: RunningBot;
let drill: DrillFeature;

beforeAll(async () => {
  tg = await startFakeTelegram();
  data = await tempDir();
  app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path }));
  drill = drillFeature({ retriever: app.index.retriever, logger: silentLogger, random: () => 0 });
  const history = historyFeature({ retriever: app.index.retriever, logger: silentLogger });
  const forget = forgetFeature({ logger: silentLogger });
  bot = await startBot(app, { features: [drill, history, exportFeature({ logger: silentLogger }), forget] });
});

afterAll(async () => {
  await bot?.stop();
  drill?.dispose();
  await tg?.close();
  await data?.remove();
});

const sessionFile = (chat: number): string => join(data.path, 'sessions', fileNameFor(String(chat)));
const session = async (chat: number): Promise<SessionData> => JSON.parse(await readFile(sessionFile(chat), 'utf8')) as SessionData;
const practiceFile = (chat: number): string => join(data.path, 'practice', fileNameFor(String(chat)));
/** the answers and reviews kept apart from the session */
const details = async (chat: number): Promise<AttemptDetail[]> =>
  (JSON.parse(await readFile(practiceFile(chat), 'utf8').catch(() => '{"details":[]}')) as { details: Array<{ detail: AttemptDetail }> }).details.map((d) => d.detail);

async function waitMessage(chat: number, since: number, test: (text: string) => boolean): Promise<SentMessage> {
  const call = await tg.waitFor((c) => c.method === 'sendMessage' && c.ok === true && Number(c.payload['chat_id']) === chat && test(String(c.payload['text'] ?? '')), 10_000, { since });
  const message = tg.messagesIn(chat).find((m) => m.message_id === messageIdOf(call));
  if (!message) throw new Error('message not found');
  return message;
}

const buttons = (message: SentMessage): Array<{ text: string; data: string }> =>
  (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: 'callback_data' in b ? (b.callback_data ?? '') : '' }));
const button = (message: SentMessage, text: string): string => {
  const found = buttons(message).find((b) => b.text.includes(text));
  if (!found) throw new Error(`no button ${text} in ${JSON.stringify(buttons(message))}`);
  return found.data;
};

describe('/history', () => {
  const USER = 9301;

  it('the new commands are in the menu and in /help', async () => {
    const commands = (tg.callsOf('setMyCommands').at(-1)?.payload['commands'] as Array<{ command: string }>).map((c) => c.command);
    expect(commands).toEqual(expect.arrayContaining(['history', 'export', 'forget']));
    const since = tg.mark();
    tg.sendText(USER, USER, '/help');
    const help = await waitMessage(USER, since, (t) => t.includes('可用命令'));
    for (const command of ['/history', '/export', '/forget']) expect(help.text).toContain(command);
  });

  it('lists a drill, reopens it with the answer verbatim, its details and the reference answer', async () => {
    const answer = answerOf('zh-01', 'strong');
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill zh-01');
    await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    since = tg.mark();
    tg.sendText(USER, USER, answer);
    const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
    const total = /总分 (\d+(?:\.\d)?)/.exec(review.text ?? '')?.[1];
    await expect.poll(async () => (await details(USER))[0]?.answer).toBe(answer);
    // the session keeps the scores only
    expect((await session(USER)).history?.attempts[0]).toMatchObject({ questionId: 'zh-01' });
    expect((await session(USER)).history?.attempts[0]?.detail).toBeUndefined();

    since = tg.mark();
    tg.sendText(USER, USER, '/history');
    const list = await waitMessage(USER, since, (t) => t.includes('练习记录'));
    expect(list.text).toContain('共 1 次');
    expect(list.text).toContain(`综合分析 · ${total} 分`);
    expect(list.text).toContain(bank.find((q) => q.id === 'zh-01')!.stem.slice(0, 10));

    since = tg.mark();
    tg.pressButton(list, button(list, '1'), USER);
    const opened = await waitMessage(USER, since, (t) => t.includes('🗂'));
    expect(opened.text).toContain(`总分 ${total} / 100`);
    expect((opened.text ?? '').length).toBeLessThanOrEqual(800);
    expect(buttons(opened).map((b) => b.text)).toEqual(expect.arrayContaining(['我的作答', '要点与原文', '参考答案', '删除这次记录']));

    since = tg.mark();
    tg.pressButton(opened, button(opened, '我的作答'), USER);
    const mine = await waitMessage(USER, since, (t) => t.includes('我的作答'));
    const shown = tg.messagesIn(USER).filter((m) => m.message_id >= mine.message_id).map((m) => m.text).join('');
    expect(shown.replace(/\s+/g, '')).toContain(answer.replace(/\s+/g, '').slice(0, 300));

    since = tg.mark();
    tg.pressButton(opened, button(opened, '要点与原文'), USER);
    await waitMessage(USER, since, (t) => t.includes('要点与原文') && t.includes('各维度得分'));

    since = tg.mark();
    tg.pressButton(opened, button(opened, '参考答案'), USER);
    await waitMessage(USER, since, (t) => t.includes('参考答案'));
  });

  it('the 追问 and its answer are kept with the attempt', async () => {
    const chat = 9306;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill zh-01');
    await waitMessage(chat, since, (t) => t.includes('结构化面试练习'));
    since = tg.mark();
    tg.sendText(chat, chat, answerOf('zh-01', 'medium'));
    const prompt = await waitMessage(chat, since, (t) => t.includes('考官追问'));
    expect(prompt).toBeTruthy();
    since = tg.mark();
    tg.sendText(chat, chat, '我会先厘清网格员的职责清单,建立事项准入制度,部门要把任务下沉到网格必须经过街道审核,同时给网格员减负,保证他们有时间入户走访群众。');
    await waitMessage(chat, since, (t) => t.includes('追问') || t.includes('补上'));
    await expect.poll(async () => (await details(chat))[0]?.followUp?.answered).toBe(true);
    since = tg.mark();
    tg.sendText(chat, chat, '/history');
    const list = await waitMessage(chat, since, (t) => t.includes('练习记录'));
    since = tg.mark();
    tg.pressButton(list, button(list, '1'), chat);
    const opened = await waitMessage(chat, since, (t) => t.includes('🗂'));
    expect(opened.text).toContain('追问');
  });

  it('deletes an attempt after a confirmation, once', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/history');
    const list = await waitMessage(USER, since, (t) => t.includes('练习记录'));
    since = tg.mark();
    tg.pressButton(list, button(list, '1'), USER);
    const opened = await waitMessage(USER, since, (t) => t.includes('🗂'));
    since = tg.mark();
    tg.pressButton(opened, button(opened, '删除这次记录'), USER);
    const confirm = await waitMessage(USER, since, (t) => t.includes('删除这次练习记录?'));
    // nothing is deleted before the confirmation
    expect((await session(USER)).history?.attempts).toHaveLength(1);
    since = tg.mark();
    tg.pressButton(confirm, button(confirm, '确定删除'), USER);
    await waitMessage(USER, since, (t) => t.includes('已删除'));
    await expect.poll(async () => (await session(USER)).history?.attempts.length).toBe(0);
    expect((await session(USER)).history?.schedule['zh-01']).toBeUndefined();
    since = tg.mark();
    tg.pressButton(confirm, button(confirm, '确定删除'), USER, { force: true });
    const again = await tg.waitFor('answerCallbackQuery', 5000, { since });
    expect(String(again.payload['text'])).toContain('已经删除');
    since = tg.mark();
    tg.sendText(USER, USER, '/history');
    await waitMessage(USER, since, (t) => t.includes('还没有练习记录'));
  });

  it('pages through many attempts, old sessions without details still open, and 常漏要点 lists repeated misses with excerpts', async () => {
    const chat = 9302;
    const question = bank.find((q) => q.id === 'yj-01')!;
    const weak = answerOf('yj-01', 'weak');
    let history = emptyHistory();
    const start = Date.parse('2025-05-01T12:00:00Z');
    const review = await scoreAnswer(question, weak, { retriever: app.index.retriever, logger: silentLogger });
    expect(review.misses.length).toBeGreaterThan(0);
    for (let i = 0; i < 10; i += 1) history = recordAttempt(history, review, new Date(start + i * 86_400_000), attemptDetailOf(review, weak, { kind: 'text', chars: 300 }));
    // an attempt as stored before answers were kept: scores only
    const { detail: _detail, ...old } = history.attempts[0]!;
    history = { ...history, attempts: [old, ...history.attempts.slice(1)] };
    // a session of an older version: the answers inside it, the last reviews kept again
    await mkdir(join(data.path, 'sessions'), { recursive: true });
    const recentReviews = history.attempts.slice(-5).map((a) => ({ id: 'x', ...a.detail }));
    await writeFile(sessionFile(chat), JSON.stringify({ v: 1, turns: [], prefs: {}, history, recentReviews }));

    let since = tg.mark();
    tg.sendText(chat, chat, '/history');
    const list = await waitMessage(chat, since, (t) => t.includes('练习记录'));
    expect(list.text).toContain('共 10 次,第 1/2 页');
    // read once, it hands the answers to the practice record and keeps the scores
    await expect.poll(async () => (await details(chat)).length).toBe(9);
    await expect.poll(async () => (await session(chat)).history?.attempts.some((a) => a.detail)).toBe(false);
    const moved = await session(chat);
    expect(moved.history?.attempts).toHaveLength(10);
    expect(moved).not.toHaveProperty('recentReviews');
    expect((await details(chat))[0]?.answer).toBe(weak);
    since = tg.mark();
    tg.pressButton(list, button(list, '下一页'), chat);
    const page2 = await tg.waitFor((c) => c.method === 'editMessageText' && String(c.payload['text']).includes('第 2/2 页'), 5000, { since });
    expect(String(page2.payload['text'])).toMatch(/10\. 05-01/);

    const current = tg.messagesIn(chat).find((m) => m.message_id === list.message_id)!;
    since = tg.mark();
    tg.pressButton(current, button(current, '10'), chat);
    const oldOne = await waitMessage(chat, since, (t) => t.includes('🗂'));
    expect(oldOne.text).toContain('只保留了分数');

    since = tg.mark();
    tg.pressButton(current, button(current, '常漏要点'), chat);
    const missed = await waitMessage(chat, since, (t) => t.includes('常漏要点'));
    const first = review.misses[0]!;
    expect(missed.text).toContain(first.point);
    expect(missed.text).toContain('10 次练习漏了 10 次');
    expect(missed.text).toMatch(/原文:《[^》]+》「/);
    expect(buttons(missed).some((b) => b.data.startsWith(`d:m:${first.pointId}:`))).toBe(true);
  });
});

describe('/export', () => {
  it('sends a PDF that opens and holds the answers and reviews in Chinese', async () => {
    const chat = 9304;
    const question = bank.find((q) => q.id === 'zz-01')!;
    const answer = answerOf('zz-01', 'medium');
    const review = await scoreAnswer(question, answer, { retriever: app.index.retriever, logger: silentLogger });
    const history = recordAttempt(emptyHistory(), review, new Date('2025-05-02T12:00:00Z'), attemptDetailOf(review, answer, { kind: 'text', chars: answer.length }));
    await mkdir(join(data.path, 'sessions'), { recursive: true });
    await writeFile(sessionFile(chat), JSON.stringify({ v: 1, turns: [], prefs: {}, history }));
    const since = tg.mark();
    tg.sendText(chat, chat, '/export');
    const sent = await tg.waitFor((c) => c.method === 'sendDocument' && Number(c.payload['chat_id']) === chat, 30_000, { since });
    expect(sent.ok).toBe(true);
    const file = sent.payload['document'] as UploadedFile;
    expect(file.filename).toMatch(/\.pdf$/);
    expect(String(sent.payload['caption'])).toContain('共 1 次练习');
    const pdf = await getDocumentProxy(new Uint8Array(file.data));
    const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, '');
    expect(text).toContain('结构化面试练习记录');
    expect(text).toContain(answer.replace(/\s+/g, '').slice(0, 200));
    expect(text).toContain(review.feedback[0]!.replace(/\s+/g, '').slice(0, 20));
    expect(text).toContain('各维度得分变化');
  }, 60_000);

  it('with no attempts, says there is nothing to export yet', async () => {
    const since = tg.mark();
    tg.sendText(9305, 9305, '/export');
    await waitMessage(9305, since, (t) => t.includes('还没有练习记录'));
  });
});

describe('/forget (file store)', () => {
  it('asks first, then deletes the session file', async () => {
    const chat = 9303;
    await mkdir(join(data.path, 'sessions'), { recursive: true });
    const question = bank[0]!;
    const review = await scoreAnswer(question, answerOf(question.id, 'medium'), { retriever: app.index.retriever, logger: silentLogger });
    await writeFile(sessionFile(chat), JSON.stringify({ v: 1, turns: [], prefs: {}, history: recordAttempt(emptyHistory(), review, new Date(), attemptDetailOf(review, '我的回答', { kind: 'text', chars: 4 })) }));
    let since = tg.mark();
    tg.sendText(chat, chat, '/forget');
    const ask = await waitMessage(chat, since, (t) => t.includes('删除你的全部练习数据?'));
    const [confirm, cancel] = [button(ask, '确定全部删除'), button(ask, '取消')];
    since = tg.mark();
    tg.pressButton(ask, cancel, chat);
    await tg.waitFor('answerCallbackQuery', 5000, { since });
    expect((await session(chat)).history?.attempts).toHaveLength(1);
    since = tg.mark();
    tg.pressButton(ask, confirm, chat, { force: true });
    await waitMessage(chat, since, (t) => t.includes('已删除你的全部练习数据'));
    await expect.poll(() => readFile(sessionFile(chat), 'utf8').then(() => 'exists', () => 'gone')).toBe('gone');
    await expect.poll(() => readFile(practiceFile(chat), 'utf8').then(() => 'exists', () => 'gone')).toBe('gone');
    since = tg.mark();
    tg.sendText(chat, chat, '/history');
    await waitMessage(chat, since, (t) => t.includes('还没有练习记录'));
  });
});
