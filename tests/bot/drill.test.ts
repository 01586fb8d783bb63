// Interview drills through the fake Bot API: the real bot (createBot + startPolling, as in
// production) with the drill feature, driven like a user would: /drill, the card and its
// countdown, an answer, the review and its buttons, the 追问, /stats with its chart, /review,
// /mock to the score sheet, voice answers, and a restart in the middle of a drill.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { OpenAIChatModel } from '../../src/answer/llm.ts';
import { drillFeature, DEFAULT_TIMING, parseQuestionType, type DrillFeature, type DrillFeatureDeps } from '../../src/bot/features/drill.ts';
import { decodeDrill, encodeDrill, type DrillAction } from '../../src/bot/render-drill.ts';
import { FileSessionStore, fileNameFor } from '../../src/bot/session.ts';
import type { SessionData } from '../../src/bot/context.ts';
import { createOpenAITranscriber } from '../../src/interview/transcriber.ts';
import { clockOf, startDrill, startMock } from '../../src/interview/drill.ts';
import { loadBank, loadCalibration, passagesFor, type InterviewQuestion } from '../../src/interview/index.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.ts';
import { startFakeTelegram, type ApiCall, type FakeTelegram, type SentMessage, type UploadedFile } from '../helpers/fake-telegram.js';
import { buildApp, buttonsOf, messageIdOf, nextText, startWithFeature, tempDir, testConfig, type RunningBot } from './setup.ts';

const bank = loadBank();
const calibration = loadCalibration();
const answerOf = (question: string, level: 'strong' | 'medium' | 'weak'): string => {
  const found = calibration.find((c) => c.question === question && c.kind === level);
  if (!found) throw new Error(`no ${level} calibration answer for ${question}`);
  return found.text.trim();
};
const questionById = (id: string): InterviewQuestion => {
  const q = bank.find((b) => b.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};

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

interface Running {
  bot: RunningBot;
  feature: DrillFeature;
  stop: () => Promise<void>;
}

async function run(deps: Partial<DrillFeatureDeps> = {}): Promise<Running> {
  return startWithFeature(app, drillFeature({ retriever: app.index.retriever, logger: silentLogger, ...deps }));
}

/** The message a matching sendMessage created (current state, edits applied). */
async function waitMessage(chat: number, since: number, test: (text: string) => boolean, timeoutMs = 8000): Promise<SentMessage> {
  const call = await tg.waitFor(
    (c) => c.method === 'sendMessage' && c.ok === true && Number(c.payload['chat_id']) === chat && test(String(c.payload['text'] ?? '')),
    timeoutMs,
    { since },
  );
  return current(chat, messageIdOf(call));
}

function current(chat: number, messageId: number): SentMessage {
  const message = tg.messagesIn(chat).find((m) => m.message_id === messageId);
  if (!message) throw new Error(`message ${messageId} not found in chat ${chat}`);
  return message;
}

const dataOf = (message: SentMessage): string[] =>
  (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => ('callback_data' in b ? (b.callback_data ?? '') : ''));

async function session(chat: number): Promise<SessionData> {
  return JSON.parse(await readFile(join(data.path, 'sessions', fileNameFor(String(chat))), 'utf8')) as SessionData;
}

/** The bot has confirmed the update (so a stop will not see it again). */
async function confirmed(update: { update_id: number }, since: number): Promise<void> {
  await tg.waitFor((c) => c.method === 'getUpdates' && Number(c.payload['offset']) > update.update_id, 5000, { since });
}

// ---------------------------------------------------------------------------

describe('pieces', () => {
  it('button data round-trips and stays within 64 bytes; type names have aliases', () => {
    const actions: DrillAction[] = [
      { kind: 'picker' },
      { kind: 'pick' },
      { kind: 'pick', type: '人际沟通' },
      { kind: 'begin' },
      { kind: 'quit' },
      { kind: 'miss', pointId: 'zh-01-3', chunkId: 'p03#12' },
      { kind: 'answer', questionId: 'yj-03' },
      { kind: 'confirm' },
      { kind: 'edit' },
      { kind: 'skip' },
      { kind: 'stats' },
      { kind: 'review' },
    ];
    for (const action of actions) {
      const data = encodeDrill(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(data.startsWith('d:')).toBe(true);
      expect(decodeDrill(data)).toEqual(action);
    }
    expect(decodeDrill('d:t:9')).toBeUndefined();
    expect(decodeDrill('src:p01#01')).toBeUndefined();
    expect(parseQuestionType('应急')).toBe('应急应变');
    expect(parseQuestionType('人际沟通题')).toBe('人际沟通');
    expect(parseQuestionType('计划组织协调')).toBe('组织管理');
    expect(parseQuestionType('天气')).toBeUndefined();
  });
});

describe('a whole drill, /stats, /review and /mock', () => {
  const USER = 8101;
  let running: Running;

  beforeAll(async () => {
    running = await run({ random: () => 0 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('the commands are in the menu', () => {
    const commands = (tg.callsOf('setMyCommands').at(-1)?.payload['commands'] as Array<{ command: string }>).map((c) => c.command);
    expect(commands).toEqual(expect.arrayContaining(['drill', 'mock', 'stats', 'review']));
  });

  it('/drill without a type offers the types as buttons', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/drill');
    const picker = await waitMessage(USER, since, (t) => t.includes('请选择题型'));
    expect(dataOf(picker)).toEqual(expect.arrayContaining(['d:t:0', 'd:t:1', 'd:t:2', 'd:t:3', 'd:t:r']));
    // the reference answer is only for questions the user has answered
    const before = tg.mark();
    tg.pressButton(picker, 'd:a:zh-01', USER, { force: true });
    const answered = await tg.waitFor('answerCallbackQuery', 3000, { since: before });
    expect(String(answered.payload['text'])).toContain('先作答');
  });

  it('/drill with a question id: an unknown id is told as such, an id typed loosely (ZH1) opens its question', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/drill zz-99');
    const picker = await waitMessage(USER, since, (t) => t.includes('请选择题型'));
    expect(picker.text).toContain('没有编号为“zz-99”的题');
    expect(picker.text).not.toContain('这个题型');
    const again = tg.mark();
    tg.sendText(USER, USER, '/drill ZH1');
    const card = await waitMessage(USER, again, (t) => t.includes('题号 zh-01'));
    expect(card.text).toContain(questionById('zh-01').stem.slice(0, 12));
    tg.sendText(USER, USER, '/new');
    await waitMessage(USER, again, (t) => t.includes('结束'));
  });

  it('a drill: the card, an answer, the review with its buttons, the 追问 and its answer', async () => {
    const question = questionById('zh-01');
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill zh-01');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    expect(card.text).toContain('综合分析');
    expect(card.text).toContain(`测评能力:${question.ability}`);
    expect(card.text).toContain(question.stem);
    expect(card.text).toContain('思考 1 分钟 + 作答 3 分钟');
    expect(card.text).toMatch(/思考时间,剩余 [01]:\d\d/);
    expect(card.entities?.some((e) => e.type === 'blockquote')).toBe(true);
    expect(dataOf(card)).toEqual(['d:go', 'd:q']);

    // commands still work during a drill, and a stray short message is not taken for the answer
    since = tg.mark();
    tg.sendText(USER, USER, '/help');
    await nextText(tg, USER, since, (t) => t.includes('可用命令') && t.includes('/drill'));
    since = tg.mark();
    tg.sendText(USER, USER, '好的');
    await nextText(tg, USER, since, (t) => t.includes('不像是一段回答'));

    // a middling answer: it misses a high-weight point, so the examiner asks a 追问
    since = tg.mark();
    tg.sendText(USER, USER, answerOf('zh-01', 'medium'));
    const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
    const typing = tg.calls.findIndex((c, i) => i >= since && c.method === 'sendChatAction' && c.payload['action'] === 'typing');
    expect(typing).toBeGreaterThanOrEqual(since);
    expect(current(USER, card.message_id).text).toContain('已收到回答');
    expect(dataOf(current(USER, card.message_id))).toEqual([]);

    const text = review.text ?? '';
    expect(text).toMatch(/总分 \d+(\.\d)? \/ 100 · 档次:中/);
    expect(text).toContain('评分方式:离线规则评分');
    // made for a phone: score, one line of dimensions and the main fixes; details one tap away
    expect(text.length).toBeLessThanOrEqual(700);
    expect(text).toMatch(/审题 \d+\.\d · 核心能力 \d+\.\d · 要点 \d+\.\d · 结构 \d+\.\d · 表达 \d+\.\d/);
    expect(text).toContain('最该改的');
    // the model answer is not in the review, only behind its button
    expect(text).not.toContain(question.outline.表态.slice(0, 20));
    const detailsButton = dataOf(review).find((d) => d.startsWith('d:det:'));
    expect(detailsButton).toBeTruthy();
    since = tg.mark();
    tg.pressButton(review, detailsButton!, USER);
    const details = await waitMessage(USER, since, (t) => t.includes('要点与原文'));
    const detailText = details.text ?? '';
    for (const name of ['审题立意', '综合分析能力', '要点覆盖与联系实际', '逻辑结构', '言语表达']) expect(detailText).toMatch(new RegExp(`${name} \\d+\\.\\d/10`));
    expect(detailText).toContain('答到的要点');
    expect(detailText).toContain('你的原话:「');
    expect(detailText).toContain('没答到的要点');
    expect(detailText).toMatch(/约 \d+ 字,按每分钟约 200 字估算/);
    const buttons = dataOf(details);
    const misses = buttons.filter((d) => d.startsWith('d:m:'));
    expect(misses.length).toBeGreaterThan(0);
    // a missed point's button: its essay excerpt, verbatim, with title and section
    const [, , pointId, chunkId] = misses[0].split(':');
    const chunk = app.index.retriever.chunk(chunkId);
    const essay = chunk ? app.index.retriever.essay(chunk.essayId) : undefined;
    expect(chunk && essay).toBeTruthy();
    expect(passagesFor(question.keyPoints.find((p) => p.id === pointId)!, app.index.retriever).map((c) => c.id)).toContain(chunkId);
    since = tg.mark();
    tg.pressButton(details, misses[0], USER);
    const excerpt = await waitMessage(USER, since, (t) => t.includes('原文摘录'));
    expect(excerpt.text).toContain(chunk?.text ?? '-');
    expect(excerpt.text).toContain(`《${essay?.title}》`);
    expect(excerpt.text).toContain(`章节:${chunk?.section || '开篇'}`);
    expect(excerpt.text).toContain(`没答到的要点:${question.keyPoints.find((p) => p.id === pointId)?.point}`);
    expect(dataOf(excerpt)).toEqual([`ctx:${chunkId}`]);

    // the reference answer, now that the question was answered
    since = tg.mark();
    tg.pressButton(review, 'd:a:zh-01', USER);
    const model = await waitMessage(USER, since, (t) => t.includes('参考答案'));
    // the spoken model answer, its [n] (key point numbers) renumbered in reading order
    expect(model.text).toContain((question.modelAnswer ?? '').replace(/\[\d+\]/g, '').trim().slice(0, 20));
    expect(model.text).toContain('采分点');
    expect(model.text).toMatch(/\[1\]/);
    expect(model.text).toContain('出处');
    const sources = dataOf(model);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((d) => /^src:p\d\d#\d\d$/.test(d))).toBe(true);
    const firstCited = question.keyPoints[Number(/\[(\d+)\]/.exec(question.modelAnswer ?? '')?.[1]) - 1];
    expect(sources[0]).toBe(`src:${passagesFor(firstCited, app.index.retriever)[0].id}`);

    // the 追问 answered (with what the strong answer says): points made up for are listed
    since = tg.mark();
    tg.sendText(USER, USER, answerOf('zh-01', 'strong'));
    const outcome = await waitMessage(USER, since, (t) => t.includes('追问回答反馈'));
    expect(outcome.text).toContain('补上了');
    expect(outcome.text).toContain('不改变本题得分');
    const done = await waitMessage(USER, since, (t) => t.includes('本题练习结束'));
    expect(dataOf(done)).toEqual(['d:t:0', 'd:p', 'd:s']);

    await expect
      .poll(async () => {
        const s = await session(USER);
        return { drill: s.drill, attempts: s.history?.attempts.map((a) => [a.questionId, a.band]) };
      })
      .toEqual({ drill: undefined, attempts: [['zh-01', '中']] });
  });

  it('a question asked mid-drill is not scored without confirmation; an answer in two messages is scored as one', async () => {
    const chat = 8191;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill zh-01');
    await waitMessage(chat, since, (t) => t.includes('结构化面试练习 · 综合分析'));
    since = tg.mark();
    tg.sendText(chat, chat, '四议两公开是什么?');
    const confirm = await waitMessage(chat, since, (t) => t.includes('这是你的作答吗'));
    expect(dataOf(confirm)).toEqual(['d:dk', 'd:dq']);
    tg.pressButton(confirm, 'd:dq', chat);
    await waitMessage(chat, since, (t) => t.includes('这条不计入作答'));
    expect((await session(chat)).history?.attempts ?? []).toEqual([]);

    // the strong answer, cut in two: each part is noted, then both are scored together
    const whole = answerOf('zh-01', 'strong');
    const cut = whole.indexOf('。', 120) + 1;
    since = tg.mark();
    tg.sendText(chat, chat, whole.slice(0, cut));
    const first = await waitMessage(chat, since, (t) => t.includes('已记下第 1 段'));
    expect(dataOf(first)).toEqual(['d:sub']);
    since = tg.mark();
    tg.sendText(chat, chat, whole.slice(cut));
    const second = await waitMessage(chat, since, (t) => t.includes('已记下第 2 段'));
    tg.pressButton(second, 'd:sub', chat);
    const review = await waitMessage(chat, since, (t) => t.includes('评分结果'));
    expect(review.text).toMatch(/档次:好/);
    await expect.poll(async () => (await session(chat)).history?.attempts.length).toBe(1);
  });

  it('a wrong attempt can be deleted from /stats, after a confirmation, once', async () => {
    const chat = 8191; // the chat of the two-message answer above: one attempt
    let since = tg.mark();
    tg.sendText(chat, chat, '/stats');
    const stats = await waitMessage(chat, since, (t) => t.includes('练习统计'));
    since = tg.mark();
    tg.pressButton(stats, 'd:del', chat);
    const confirm = await waitMessage(chat, since, (t) => t.includes('删除最近一次练习记录?'));
    expect(confirm.text).toContain('北京时间');
    const [ok] = dataOf(confirm);
    expect(ok).toMatch(/^d:delok:/);
    since = tg.mark();
    tg.pressButton(confirm, ok, chat);
    await waitMessage(chat, since, (t) => t.includes('已删除'));
    await expect.poll(async () => (await session(chat)).history?.attempts.length).toBe(0);
    // the same confirmation pressed again deletes nothing more
    since = tg.mark();
    tg.pressButton(confirm, ok, chat, { force: true });
    await tg.waitFor('answerCallbackQuery', 3000, { since });
    expect(tg.calls.slice(since).some((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('已删除'))).toBe(false);
  });

  it('another command mid-drill is answered, and the user is reminded that the clock runs', async () => {
    const chat = 8193;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill zh-03');
    await waitMessage(chat, since, (t) => t.includes('结构化面试练习'));
    since = tg.mark();
    tg.sendText(chat, chat, '/essays');
    await waitMessage(chat, since, (t) => t.includes('知识库文章'));
    await waitMessage(chat, since, (t) => t.includes('面试练习还在计时'));
    expect((await session(chat)).drill?.questionIds).toEqual(['zh-03']);
  });

  it('/new mid-drill ends the drill and says so', async () => {
    const chat = 8192;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill zh-02');
    await waitMessage(chat, since, (t) => t.includes('结构化面试练习'));
    since = tg.mark();
    tg.sendText(chat, chat, '/new');
    await waitMessage(chat, since, (t) => t.includes('对话上下文已清除'));
    await waitMessage(chat, since, (t) => t.includes('之前未完成的那道题已结束'));
    await expect.poll(async () => (await session(chat)).drill).toBeUndefined();
  });

  it('a question of the candidate\'s own: the type read from the stem is shown and can be corrected, then scored', async () => {
    const chat = 8190;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill 你和同事老王一起负责社区助餐点,老王没跟你商量就改了送餐路线,导致几位老人没吃上饭,家属投诉。你怎么处理?');
    const card = await waitMessage(chat, since, (t) => t.includes('自拟题目'));
    expect(card.text).toContain('结构化面试练习 · 人际沟通');
    expect(card.text).toContain('按题干判断为“人际沟通”');
    const retype = dataOf(card).filter((d) => d.startsWith('d:ty:'));
    expect(retype).toHaveLength(4);
    // correct it to 应急应变: the card says so, the buttons go
    since = tg.mark();
    tg.pressButton(card, 'd:ty:2', chat);
    await expect.poll(() => current(chat, card.message_id).text).toContain('题型已改为“应急应变”');
    expect(current(chat, card.message_id).text).toContain('结构化面试练习 · 应急应变');
    since = tg.mark();
    tg.sendText(chat, chat, answerOf('yj-01', 'strong'));
    const review = await waitMessage(chat, since, (t) => t.includes('评分结果'));
    expect(review.text).toContain('评分结果 · 应急应变');
    expect(dataOf(review)).not.toContain('d:a:free');
  });

  it('/drill 如果你是社区书记……: a question in the exam\'s "if you were" form is carded as the candidate\'s own and scored, the review fitting a phone screen', async () => {
    const chat = 8191;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill 如果你是社区书记,小区要加装电梯,低层住户坚决反对,高层老人天天来催,你会怎么做?');
    const card = await waitMessage(chat, since, (t) => t.includes('自拟题目'));
    expect(card.text).toContain('如果你是社区书记');
    since = tg.mark();
    tg.sendText(chat, chat, answerOf('rj-01', 'strong'));
    const review = await waitMessage(chat, since, (t) => t.includes('评分结果'));
    expect(review.text).toMatch(/总分 \d+(\.\d)? \/ 100 · 档次:[好中差]/);
    expect((review.text ?? '').length).toBeLessThanOrEqual(700);
    expect(dataOf(review).some((d) => d.startsWith('d:det:'))).toBe(true);
    // what follows the review (a 追问 or the end) has come before the next test looks
    await waitMessage(chat, since, (t) => t.includes('考官追问') || t.includes('本题练习结束'));
  });

  it('a free question\'s essay point opens its passage as a practice to borrow', async () => {
    const chat = 8194;
    let since = tg.mark();
    tg.sendText(chat, chat, '/drill 近年来一些地方推进“扩权强镇”改革,把部分执法权下放到乡镇,但有乡镇干部反映“接不住、用不好”。对此,请谈谈你的看法。');
    await waitMessage(chat, since, (t) => t.includes('自拟题目'));
    since = tg.mark();
    tg.sendText(chat, chat, answerOf('zh-01', 'medium'));
    const review = await waitMessage(chat, since, (t) => t.includes('评分结果'));
    await waitMessage(chat, since, (t) => t.includes('考官追问') || t.includes('本题练习结束'));
    since = tg.mark();
    tg.pressButton(review, dataOf(review).find((d) => d.startsWith('d:det:'))!, chat);
    const details = await waitMessage(chat, since, (t) => t.includes('要点与原文'));
    expect(details.text).toContain('文章里可以借用的做法');
    const miss = dataOf(details).find((d) => d.startsWith('d:m:free-'));
    expect(miss).toBeTruthy();
    const chunkId = miss!.split(':')[3];
    since = tg.mark();
    tg.pressButton(details, miss!, chat);
    const excerpt = await waitMessage(chat, since, (t) => t.includes('原文摘录'));
    expect(excerpt.text).toContain('文章里可以借用的做法');
    expect(excerpt.text).toContain(app.index.retriever.chunk(chunkId)?.text ?? '-');
  });

  it('a strong answer scores 好, with no 追问', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill yj-03');
    await waitMessage(USER, since, (t) => t.includes('结构化面试练习 · 应急应变'));
    since = tg.mark();
    tg.sendText(USER, USER, answerOf('yj-03', 'strong'));
    const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
    expect(review.text).toMatch(/档次:好/);
    await waitMessage(USER, since, (t) => t.includes('本题练习结束'));
    expect(tg.calls.slice(since).some((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('考官追问'))).toBe(false);
  });

  it('/stats: attempts, averages, trend, weakest area, and the chart as a PNG photo', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/stats');
    const stats = await waitMessage(USER, since, (t) => t.includes('练习统计'));
    expect(stats.text).toContain('共练习 2 次');
    expect(stats.text).toContain('离线规则 2 次');
    expect(stats.text).toContain('各维度平均');
    expect(stats.text).toMatch(/综合分析:1 次,平均 [\d.]+ 分/);
    expect(stats.text).toMatch(/应急应变:1 次/);
    expect(stats.text).toMatch(/得分趋势\(最近 2 次\)\n[\d.]+ → [\d.]+/);
    expect(stats.text).toContain('最需要加强');
    expect(dataOf(stats)).toEqual(['d:r', 'd:del']);

    const photo = await tg.waitFor((c) => c.method === 'sendPhoto' && c.ok === true, 10_000, { since });
    const upload = photo.payload['photo'] as UploadedFile;
    expect(upload.kind).toBe('upload');
    expect(upload.filename).toBe('progress.png');
    expect(upload.data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(upload.size).toBeGreaterThan(10_000);
    expect(String(photo.payload['caption'])).toContain('各维度');
  });

  it('/stats with no attempts says how to start', async () => {
    const since = tg.mark();
    tg.sendText(USER + 50, USER + 50, '/stats');
    const reply = await waitMessage(USER + 50, since, (t) => t.includes('还没有练习记录'));
    expect(dataOf(reply)).toEqual(['d:p']);
    expect(tg.calls.slice(since).some((c) => c.method === 'sendPhoto')).toBe(false);
  });

  it('/review: the next question by spaced repetition, with its reason, as a drill', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/review');
    const reason = await waitMessage(USER, since, (t) => t.includes('按弱项复习'));
    // both questions tried today are not due yet: an untried question of the weakest type
    expect(reason.text).toMatch(/目前最弱|还没有练过/);
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    expect(dataOf(card)).toEqual(['d:go', 'd:q']);
    // leave it: the card loses its buttons
    const before = tg.mark();
    tg.pressButton(card, 'd:q', USER);
    await waitMessage(USER, before, (t) => t.includes('本题练习结束'));
    expect(current(USER, card.message_id).text).toContain('已放弃本题');
    expect(dataOf(current(USER, card.message_id))).toEqual([]);
  });

  it('/mock: three questions on a 15-minute clock, a skipped one, then the score sheet and the reviews', async () => {
    const chat = USER + 1;
    let since = tg.mark();
    tg.sendText(chat, chat, '/mock');
    await waitMessage(chat, since, (t) => t.includes('模拟面试开始'));
    let card = await waitMessage(chat, since, (t) => t.includes('模拟面试 · 第 1/3 题'));
    expect(card.text).toMatch(/本场限时 15 分钟,剩余 1[45]:\d\d/);
    expect(dataOf(card)).toEqual(['d:go', 'd:q']);
    const asked: string[] = [];

    for (let n = 1; n <= 3; n += 1) {
      const question = bank.find((q) => card.text?.includes(q.stem));
      expect(question).toBeDefined();
      asked.push(question?.id ?? '');
      since = tg.mark();
      if (n === 2) {
        tg.pressButton(card, 'd:q', chat);
        await waitMessage(chat, since, (t) => t.includes('已跳过第 2 题'));
      } else {
        const strong = calibration.find((c) => c.question === question?.id && c.kind === 'strong')?.text;
        tg.sendText(chat, chat, strong ?? `${question?.outline.表态}${question?.outline.分析}${question?.outline.对策.join('')}${question?.outline.总结}`);
        // no score between questions, as in the exam room
        const ack = await waitMessage(chat, since, (t) => t.includes(`第 ${n}/3 题已作答`));
        expect(ack.text).not.toMatch(/总分/);
        const after = await waitMessage(chat, since, (t) => t.includes('考官追问') || t.includes('模拟面试 · 第') || t.includes('成绩单'));
        if (after.text?.includes('考官追问')) {
          const skip = tg.mark();
          tg.pressButton(after, 'd:fs', chat);
          await waitMessage(chat, skip, (t) => t.includes('已跳过追问'));
        }
      }
      if (n < 3) card = await waitMessage(chat, since, (t) => t.includes(`模拟面试 · 第 ${n + 1}/3 题`));
    }

    const sheet = await waitMessage(chat, since, (t) => t.includes('模拟面试成绩单'));
    const text = sheet.text ?? '';
    expect(text).toContain('共 3 题,作答 2 题');
    expect(text).toMatch(/用时 \d+:\d\d \/ 15:00/);
    for (const element of ['综合分析能力', '计划组织协调能力', '应变能力', '人际交往的意识与技巧', '言语表达能力']) expect(text).toContain(element);
    expect(text).toContain('本场未涉及');
    expect(text).toMatch(/综合得分 [\d.]+ \/ 100 · 档次:[好中差]/);
    expect(text).toContain('第 2 题');
    expect(text).toContain('已跳过');
    const first = await waitMessage(chat, since, (t) => t.includes('第 1 题点评'));
    expect(first.text).toMatch(/总分 [\d.]+ \/ 100/);
    expect(dataOf(first)).toContain(`d:a:${asked[0]}`);
    await waitMessage(chat, since, (t) => t.includes('第 3 题点评'));
    await waitMessage(chat, since, (t) => t.includes('模拟面试结束'));
    await expect.poll(async () => (await session(chat)).history?.attempts.map((a) => a.questionId)).toEqual([asked[0], asked[2]]);
    expect((await session(chat)).drill).toBeUndefined();
  });
});

describe('the countdown', () => {
  const USER = 8201;
  let running: Running;

  beforeAll(async () => {
    running = await run({
      timing: { thinkingSeconds: 0.6, answerSeconds: 1.2, reminderSeconds: 0.5, tickSeconds: 0.25, resyncAfterSeconds: 0.3 },
      // a reader of the same files, as main.ts passes the bot's store
      sessions: new FileSessionStore<SessionData>(join(data.path, 'sessions')),
    });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('edits the card as time passes, reminds near the end, says when time is up, then stops', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill 人际');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习 · 人际沟通'));
    const editOf = (test: (text: string) => boolean): Promise<ApiCall> =>
      tg.waitFor((c) => c.method === 'editMessageText' && Number(c.payload['message_id']) === card.message_id && test(String(c.payload['text'])), 5000, { since });
    await editOf((t) => t.includes('作答时间,剩余'));
    const reminder = await waitMessage(USER, since, (t) => t.includes('提醒'));
    expect(reminder.text).toContain('作答时间还剩约');
    await editOf((t) => t.includes('作答时间已到'));
    // how often and when it edits is tested on a fake clock (drill-timers.test.ts)
    expect(current(USER, card.message_id).meta.editCount).toBeGreaterThanOrEqual(2);
    // the buttons stay while the answer is awaited
    expect(dataOf(current(USER, card.message_id))).toEqual(['d:q']);
    await expect.poll(() => running.feature.timers.size).toBe(0);

    // a late answer is still scored, and the review says it was late
    since = tg.mark();
    tg.sendText(USER, USER, answerOf('rj-04', 'medium'));
    const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
    expect(review.text).toContain('提交时已超出作答时间');
  });

  it('开始作答 skips the thinking time; 放弃本题 ends the drill and its timer; stale buttons say so', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill 组织管理');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习 · 组织管理'));
    since = tg.mark();
    tg.pressButton(card, 'd:go', USER);
    const pressed = await tg.waitFor('answerCallbackQuery', 3000, { since });
    expect(String(pressed.payload['text'])).toContain('开始作答');
    await tg.waitFor((c) => c.method === 'editMessageText' && c.ok === true && String(c.payload['text']).includes('作答时间,剩余'), 3000, { since });
    expect(dataOf(current(USER, card.message_id))).toEqual(['d:q']);

    since = tg.mark();
    tg.pressButton(current(USER, card.message_id), 'd:q', USER);
    await waitMessage(USER, since, (t) => t.includes('本题练习结束'));
    expect(current(USER, card.message_id).text).toContain('已放弃本题');
    expect(running.feature.timers.size).toBe(0);
    const edits = current(USER, card.message_id).meta.editCount;

    since = tg.mark();
    tg.pressButton(card, 'd:go', USER, { force: true });
    const stale = await tg.waitFor('answerCallbackQuery', 3000, { since });
    expect(stale.payload['text']).toBe('这道题已经结束了。');
    expect(current(USER, card.message_id).meta.editCount).toBe(edits);
    // giving up is not an attempt
    expect((await session(USER)).history?.attempts).toHaveLength(1);
  });

  it('a drill answered through another instance (the stored drill moved on) stops the countdown here', async () => {
    const since = tg.mark();
    tg.sendText(USER, USER, '/drill 综合分析');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习 · 综合分析'));
    await tg.waitFor((c) => c.method === 'editMessageText' && Number(c.payload['message_id']) === card.message_id, 3000, { since });
    expect(running.feature.timers.size).toBe(1);
    // what another instance would have written after scoring the answer
    const store = new FileSessionStore<SessionData>(join(data.path, 'sessions'));
    const stored = (await store.read(String(USER))) as SessionData;
    await store.write(String(USER), { ...stored, drill: undefined });
    // stopped before its answer time runs out: no "time is up", no reminder (the timing itself is
    // tested on a fake clock in drill-timers.test.ts)
    await expect.poll(() => running.feature.timers.size, { timeout: 1000 }).toBe(0);
    expect(current(USER, card.message_id).text).not.toContain('作答时间已到');
    expect(tg.calls.slice(since).some((c) => c.method === 'sendMessage' && String(c.payload['text']).includes('提醒'))).toBe(false);
  });
});

describe('voice answers with a transcription endpoint', () => {
  const USER = 8301;
  let openai: FakeOpenAI;
  let running: Running;
  const spoken = answerOf('zz-01', 'strong');

  beforeAll(async () => {
    openai = await startFakeOpenAI({ transcript: spoken });
    const client = new OpenAI({ apiKey: 'test-key', baseURL: openai.baseURL, maxRetries: 0 });
    running = await run({ transcriber: createOpenAITranscriber(client, 'whisper-1') });
  });
  afterAll(async () => {
    await running?.stop();
    await openai?.close();
  });

  it('transcribes, shows the transcript with 确认评分 / 修改, and scores on confirmation', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill zz-01');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    expect(card.text).toContain('也可以发语音');
    since = tg.mark();
    const audio = Buffer.from('OggS fake opus voice answer bytes');
    tg.sendVoice(USER, USER, audio, { duration: 150 });
    const transcript = await waitMessage(USER, since, (t) => t.includes('语音转写'));
    expect(transcript.text).toContain('语音时长 2:30,在规定的 3 分钟以内');
    expect(transcript.text).toContain(spoken.split('\n')[0]);
    expect(dataOf(transcript)).toEqual(['d:ok', 'd:ed']);
    expect(tg.calls.slice(since).some((c) => c.method === 'getFile')).toBe(true);
    const request = openai.requestsTo('/audio/transcriptions')[0];
    expect(request.body).toMatchObject({ model: 'whisper-1', file: { size: audio.length } });
    expect(current(USER, card.message_id).text).toContain('已收到语音回答');

    since = tg.mark();
    tg.pressButton(transcript, 'd:ok', USER);
    const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
    expect(review.text).toContain('档次:好');
    expect(review.text).toContain('语音时长 2:30,在规定的 3 分钟以内');
    // speaking rate from the transcript and Telegram's duration, against the exam norm
    expect(review.text).toMatch(/语速约 \d+ 字\/分钟/);
    // and the filler words: none here, and it says so
    expect(review.text).toContain('没有听出口头语');
    expect(dataOf(current(USER, transcript.message_id))).toEqual([]);
  });

  it('修改: the corrected text is scored, and an over-long recording is reported as such', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill zz-01');
    await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    since = tg.mark();
    tg.sendVoice(USER, USER, Buffer.from('OggS another recording'), { duration: 200 });
    const transcript = await waitMessage(USER, since, (t) => t.includes('语音转写'));
    expect(transcript.text).toContain('超出规定的 3 分钟 20 秒');
    since = tg.mark();
    tg.pressButton(transcript, 'd:ed', USER);
    await waitMessage(USER, since, (t) => t.includes('修改后的完整回答'));
    since = tg.mark();
    tg.sendText(USER, USER, answerOf('zz-01', 'medium'));
    const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
    expect(review.text).toContain('档次:中');
    expect(review.text).toContain('语音时长 3:20');
  });
});

describe('without a transcription endpoint', () => {
  const USER = 8401;
  let running: Running;

  beforeAll(async () => {
    running = await run();
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('a voice message during a drill gets a hint to answer in text; the drill goes on', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/drill zz-04');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    expect(card.text).not.toContain('语音');
    since = tg.mark();
    tg.sendVoice(USER, USER);
    const hint = await waitMessage(USER, since, (t) => t.includes('暂时无法识别语音'));
    expect(hint.text).toContain('用文字发给我');
    expect(tg.calls.slice(since).some((c) => c.method === 'getFile')).toBe(false);
    since = tg.mark();
    tg.sendText(USER, USER, answerOf('zz-04', 'strong'));
    await waitMessage(USER, since, (t) => t.includes('评分结果') && t.includes('档次:好'));

    // outside a drill, a voice message is the built-in "text only" hint
    since = tg.mark();
    tg.sendVoice(USER, USER);
    await waitMessage(USER, since, (t) => t.includes('只能读懂文字'));
  });
});

describe('the examiner model', () => {
  const USER = 8501;
  let openai: FakeOpenAI;

  beforeAll(async () => {
    openai = await startFakeOpenAI();
  });
  afterAll(async () => {
    await openai?.close();
  });

  it('when its reply is not valid JSON, the score is the offline one, labelled so', async () => {
    openai.setResponder(() => '我觉得这个回答不错,可以给 95 分。');
    const client = new OpenAI({ apiKey: 'test-key', baseURL: openai.baseURL, maxRetries: 0 });
    const running = await run({ chat: new OpenAIChatModel(client, 'gpt-4o-mini', 5000) });
    try {
      let since = tg.mark();
      tg.sendText(USER, USER, '/drill zh-05');
      await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
      since = tg.mark();
      tg.sendText(USER, USER, answerOf('zh-05', 'weak'));
      // a short answer is held as a draft until it is submitted
      const draft = await waitMessage(USER, since, (t) => t.includes('已记下第 1 段'));
      tg.pressButton(draft, 'd:sub', USER);
      const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
      expect(review.text).toContain('评分方式:离线规则评分');
      expect(review.text).toContain('评分模型返回的结果格式无效');
      expect(review.text).not.toContain('95');
      expect(review.text).toContain('档次:差');
    } finally {
      await running.stop();
    }
  });

  it('a valid verdict is labelled 大模型评分; the total is computed from the dimensions', async () => {
    const answer = answerOf('zh-05', 'strong');
    const sentence = answer.split(/[。\n]/).find((s) => s.length > 12) ?? '';
    const question = questionById('zh-05');
    const rewritten = `${answer.slice(0, 300)}另外,我会把议事会成员的误工补贴争取下来。`;
    openai.setResponder((body) =>
      // the coach (改写你的回答) and the examiner share the server: told apart by their system prompt
      JSON.stringify(body.messages[0]?.content?.toString().includes('辅导老师')
        ? { rewritten, changes: ['补上了误工补贴', '去掉了开头的客套'] }
        : {
            dimensions: { D1: 8, D2: 8, D4: 8, D5: 8 },
            keyPoints: question.keyPoints.map((p, i) => (i === 0 ? { id: p.id, status: 'hit', quote: sentence } : { id: p.id, status: 'hit', quote: '这句话不在回答里出现过' })),
            cliches: [],
            strengths: [],
            fixes: ['把第二条对策说得再具体一些。'],
          }),
    );
    const client = new OpenAI({ apiKey: 'test-key', baseURL: openai.baseURL, maxRetries: 0 });
    const running = await run({ chat: new OpenAIChatModel(client, 'gpt-4o-mini', 5000) });
    try {
      let since = tg.mark();
      tg.sendText(USER, USER, '/drill zh-05');
      await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
      since = tg.mark();
      tg.sendText(USER, USER, answer);
      const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
      expect(review.text).toContain('评分方式:大模型评分');
      expect(review.text).toContain('把第二条对策说得再具体一些。');
      since = tg.mark();
      tg.pressButton(review, dataOf(review).find((d) => d.startsWith('d:det:'))!, USER);
      const details = await waitMessage(USER, since, (t) => t.includes('要点与原文'));
      expect(details.text).toContain(`你的原话:「${sentence.trim().slice(0, 20)}`);
      // claimed hits without a real quote are not credited: they show up as missed
      expect(details.text).toContain('没答到的要点');
      // 改写你的回答: the candidate's own answer rewritten, with what changed
      const rewriteButton = dataOf(review).find((d) => d.startsWith('d:rw:'));
      expect(rewriteButton).toBeTruthy();
      since = tg.mark();
      tg.pressButton(review, rewriteButton!, USER);
      const rewrite = await waitMessage(USER, since, (t) => t.includes('改写你的回答'));
      expect(rewrite.text).toContain('误工补贴争取下来');
      expect(rewrite.text).toContain('改了什么');
    } finally {
      await running.stop();
    }
  });
});

describe('a restart in the middle of a drill', () => {
  const USER = 8601;

  it('the answer sent to the new process is scored as the answer to the question on the card', async () => {
    const first = await run();
    let since = tg.mark();
    const asked = tg.sendText(USER, USER, '/drill zh-03');
    const card = await waitMessage(USER, since, (t) => t.includes('结构化面试练习'));
    await confirmed(asked, since);
    await first.stop();
    await expect.poll(async () => (await session(USER)).drill?.questionIds).toEqual(['zh-03']);
    expect((await session(USER)).drill?.cardMessageId).toBe(card.message_id);

    // a new bot and feature on the same DATA_DIR; its countdown ticks fast so the resume is visible
    const second = await run({ timing: { tickSeconds: 0.2 } });
    try {
      since = tg.mark();
      tg.sendText(USER, USER, '/stats');
      await waitMessage(USER, since, (t) => t.includes('还没有练习记录'));
      // the countdown resumed on the old card with the chat's first update after the restart
      await tg.waitFor((c) => c.method === 'editMessageText' && c.ok === true && Number(c.payload['message_id']) === card.message_id, 3000, { since });
      expect(current(USER, card.message_id).text).toMatch(/思考时间,剩余 0:5\d/);

      since = tg.mark();
      tg.sendText(USER, USER, answerOf('zh-03', 'strong'));
      const review = await waitMessage(USER, since, (t) => t.includes('评分结果'));
      expect(review.text).toContain('评分结果 · 综合分析');
      expect(review.text).toContain('档次:好');
      expect(dataOf(review)).toContain('d:a:zh-03');
      expect(current(USER, card.message_id).text).toContain('已收到回答');
      await expect.poll(async () => (await session(USER)).history?.attempts.map((a) => a.questionId)).toEqual(['zh-03']);
    } finally {
      await second.stop();
    }
  });
});
