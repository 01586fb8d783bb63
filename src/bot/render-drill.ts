// Views of the interview drills (/drill, /mock, /stats, /review). Built only from render.ts's
// primitives (spans, blocks, compose), so all escaping and splitting stays in one place.
import { InlineKeyboard } from 'grammy';
import type { InterviewQuestion, QuestionType, Review } from '../interview/index.ts';
import type { DrillStats } from '../interview/index.ts';
import { ELEMENT_BANDS_TEXT, graceSeconds, type MockReport } from '../interview/drill.ts';
import type { Chunk, Essay } from '../knowledge/types.ts';
import { encodeAction } from './callbacks.ts';
import { clockText, durationText } from './clock-text.ts';
import { DRILL_TYPES, encodeDrill, tryButton } from './drill-actions.ts';
import { renderReview, type ReviewRecord } from './render-review.ts';

export * from './clock-text.ts';
export * from './drill-actions.ts';
export * from './render-review.ts';
import { bold, clip, compose, italic, para, plain, quoteBlock, sourceButtonLabel, sourceLine, type Block, type OutMessage } from './render.ts';
import { OWN_QUESTION_ID } from '../interview/index.ts';

// ---------------------------------------------------------------------------
// Picking a question
// ---------------------------------------------------------------------------

export function renderTypePicker(counts: Record<QuestionType, number>, note?: string): OutMessage[] {
  const keyboard = new InlineKeyboard();
  DRILL_TYPES.forEach((type, i) => {
    if (counts[type] > 0) keyboard.text(`${type}(${counts[type]} 题)`, encodeDrill({ kind: 'pick', type }));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text('随机一题', encodeDrill({ kind: 'pick' }));
  const blocks: Block[] = [];
  if (note) blocks.push(para(plain(note)));
  blocks.push(
    para(bold('结构化面试单题练习')),
    para(plain('每道题先思考 1 分钟,再作答 3 分钟,和真实考场一样计时。作答后给出总分、各维度得分、答到和漏掉的要点(附文章原文)、改进建议和参考答案。')),
    para(plain('请选择题型,或直接发送 /drill 应急应变 这样的命令。想连续答 3 道题,发送 /mock 进行模拟面试。')),
  );
  return compose(blocks, keyboard);
}

// ---------------------------------------------------------------------------
// The question card
// ---------------------------------------------------------------------------

export type CardStatus = 'thinking' | 'answering' | 'received' | 'voice' | 'abandoned' | 'skipped';

export interface CardView {
  question: InterviewQuestion;
  kind: 'single' | 'mock';
  /** 0-based */
  index: number;
  count: number;
  status: CardStatus;
  /** seconds left in the current phase; negative when the answer time is over */
  phaseLeft: number;
  /** mock: seconds left for the whole session */
  sessionLeft?: number;
  sessionSeconds?: number;
  thinkingSeconds: number;
  answerSeconds: number;
  /** voice answers are accepted */
  voice: boolean;
  /** a question of the candidate's own: how its type was decided (shown, and correctable while thinking) */
  typeSource?: 'detected' | 'chosen';
  /** parts of the answer sent so far (not yet submitted) */
  draftParts?: number;
}

function statusLine(view: CardView): string {
  switch (view.status) {
    case 'thinking':
      return `🤔 思考时间,剩余 ${clockText(view.phaseLeft)}`;
    case 'answering':
      if (view.phaseLeft > 0) return `✍️ 作答时间,剩余 ${clockText(view.phaseLeft)}`;
      return view.draftParts
        ? `⌛ 作答时间已到。你已发了 ${view.draftParts} 段,点「提交作答」就评分;不点的话约 ${Math.round(graceSeconds(view) + view.phaseLeft)} 秒后自动提交(超时会在点评里注明)。`
        : '⌛ 作答时间已到,请尽快发送你的回答(超时会在点评里注明)。';
    case 'received':
      return '✅ 已收到回答,正在评分……';
    case 'voice':
      return '🎙️ 已收到语音回答,请核对转写内容。';
    case 'abandoned':
      return '已放弃本题,不计分。';
    case 'skipped':
      return '已跳过本题,不计分。';
  }
}

export function renderCard(view: CardView): OutMessage {
  const { question } = view;
  const heading =
    view.kind === 'mock' ? `🎯 模拟面试 · 第 ${view.index + 1}/${view.count} 题 · ${question.type}` : `🎯 结构化面试练习 · ${question.type}`;
  const blocks: Block[] = [
    para(bold(heading), plain(`\n测评能力:${question.ability}${question.id !== OWN_QUESTION_ID ? `\n题号 ${question.id}(发 /drill ${question.id} 可以再练这道题)` : ''}`)),
    quoteBlock(plain(question.stem)),
    ...(view.typeSource
      ? [para(italic(view.typeSource === 'detected' ? `自拟题目:题型按题干判断为“${question.type}”,不对可以在下方改。` : `自拟题目:题型已改为“${question.type}”。`))]
      : []),
    para(plain(`⏱ 思考 ${durationText(view.thinkingSeconds)} + 作答 ${durationText(view.answerSeconds)}\n`), bold(statusLine(view))),
  ];
  const live = view.status === 'thinking' || view.status === 'answering';
  if (live && view.kind === 'mock' && view.sessionLeft !== undefined && view.sessionSeconds !== undefined) {
    blocks.push(
      para(
        plain(
          view.sessionLeft > 0
            ? `本场限时 ${durationText(view.sessionSeconds)},剩余 ${clockText(view.sessionLeft)}`
            : `本场限时 ${durationText(view.sessionSeconds)},时间已到,答完这一题就结束。`,
        ),
      ),
    );
  }
  const keyboard = new InlineKeyboard();
  if (live) {
    blocks.push(
      para(
        italic(
          `直接发送文字回答${view.voice ? '(也可以发语音)' : ''}。${view.status === 'thinking' ? '想好了就点「开始作答」跳过剩下的思考时间。' : ''}`,
        ),
      ),
    );
    if (view.status === 'thinking') keyboard.text('开始作答', encodeDrill({ kind: 'begin' }));
    // parts already sent can be submitted from the card, too: once time is up it is the way on
    if (view.draftParts) keyboard.text(`提交作答(${view.draftParts} 段)`, encodeDrill({ kind: 'submit' }));
    keyboard.text(view.kind === 'mock' ? '跳过本题' : '放弃本题', encodeDrill({ kind: 'quit' }));
    if (view.typeSource && view.status === 'thinking') {
      keyboard.row();
      for (const type of DRILL_TYPES) if (type !== question.type) keyboard.text(`改为${type}`, encodeDrill({ kind: 'retype', type }));
    }
  }
  return compose(blocks, keyboard)[0];
}

/** "Is this your answer?" for a message that looks like a question. */
export function renderConfirmAnswer(text: string): OutMessage[] {
  const keyboard = new InlineKeyboard().text('算作答', encodeDrill({ kind: 'keep' })).text('不是,先提问', encodeDrill({ kind: 'notAnswer' }));
  return compose([para(bold('这是你的作答吗?'), plain(`\n「${clip(text, 40)}」看起来像一个问题。算作答的话,点「算作答」;只是想问一下,点「不是,先提问」,这条不计入作答。`))], keyboard);
}

/** The parts of an answer collected so far, with the button that submits them. */
export function renderDraftStatus(parts: number, chars: number, answerSeconds: number): OutMessage[] {
  const keyboard = new InlineKeyboard().text(`提交作答(${parts} 段)`, encodeDrill({ kind: 'submit' }));
  const norm = answerSeconds >= 170 ? '3 分钟约 500–650 字' : `${Math.round(answerSeconds / 60)} 分钟约 ${Math.round((answerSeconds / 60) * 170)}–${Math.round((answerSeconds / 60) * 215)} 字`;
  return compose(
    [para(bold(`✍️ 已记下第 ${parts} 段`), plain(`,共 ${chars} 字(${norm})。\n可以接着发送下一段;答完点「提交作答」,几段合在一起评分。作答时间到了还没提交的,稍后自动提交。`))],
    keyboard,
  );
}

export function renderReminder(secondsLeft: number): OutMessage[] {
  return compose([para(bold('⏰ 提醒:'), plain(`本题作答时间还剩约 ${durationText(Math.max(1, Math.round(secondsLeft)))},请抓紧收尾,用一句话总结。`))]);
}

export function renderSessionReminder(secondsLeft: number): OutMessage[] {
  return compose([para(bold('⏰ 提醒:'), plain(`本场模拟面试还剩约 ${durationText(Math.max(1, Math.round(secondsLeft)))},注意控制时间。`))]);
}

// ---------------------------------------------------------------------------
// Voice
// ---------------------------------------------------------------------------

export function renderTranscript(text: string, seconds: number, normSeconds: number | undefined): OutMessage[] {
  const keyboard = new InlineKeyboard().text('确认评分', encodeDrill({ kind: 'confirm' })).text('修改', encodeDrill({ kind: 'edit' }));
  const length =
    normSeconds === undefined
      ? `语音时长 ${clockText(seconds)}。`
      : seconds > normSeconds
        ? `语音时长 ${clockText(seconds)},超出规定的 ${durationText(normSeconds)} ${durationText(seconds - normSeconds)}。`
        : `语音时长 ${clockText(seconds)},在规定的 ${durationText(normSeconds)}以内。`;
  return compose(
    [
      para(bold('🎙️ 语音转写')),
      para(plain(length)),
      quoteBlock(plain(text)),
      para(italic('请核对转写:无误就点「确认评分」;有识别错误就点「修改」,再把改好的完整文字发给我(评分以文字为准)。')),
    ],
    keyboard,
  );
}

// ---------------------------------------------------------------------------
// The review
// ---------------------------------------------------------------------------

export function renderMockAck(index: number, count: number): OutMessage[] {
  return compose([para(plain(`✅ 第 ${index + 1}/${count} 题已作答。模拟面试中不逐题公布分数,全部结束后统一给出成绩单和点评。`))]);
}

/** After a drill: what next. */
export function renderDrillDone(kind: 'single' | 'mock', type?: QuestionType): OutMessage[] {
  const keyboard = new InlineKeyboard();
  if (type) keyboard.text(`再练一道${type}题`, encodeDrill({ kind: 'pick', type })).row();
  keyboard.text('换个题型', encodeDrill({ kind: 'picker' })).text('查看进度', encodeDrill({ kind: 'stats' }));
  const text =
    kind === 'mock'
      ? '模拟面试结束。点每道题点评下的按钮可以查看漏答要点的原文和参考答案;发送 /mock 再来一场,/stats 查看进度。'
      : '本题练习结束。可以再练一道、换个题型,或者查看进度(/stats)。';
  return compose([para(plain(text))], keyboard);
}

// ---------------------------------------------------------------------------
// Buttons' views
// ---------------------------------------------------------------------------

/** A missed point's essay excerpt, verbatim, with its essay and section. */
export function renderMissExcerpt(point: string | undefined, essay: Essay, chunk: Chunk): OutMessage[] {
  const keyboard = new InlineKeyboard().text('查看上下文段落', encodeAction({ kind: 'context', chunkId: chunk.id }));
  // (a question of the candidate's own: the passage holds a practice to borrow, not a point missed)
  const lead = point === undefined ? para(bold('文章里可以借用的做法')) : para(bold('没答到的要点:'), plain(point));
  const blocks: Block[] = [lead, para(bold(sourceLine(essay)))];
  // the text before the first heading is what the essay browser calls 开篇
  blocks.push(para(italic(`章节:${chunk.section || '开篇'}`)));
  blocks.push(para(bold(`原文摘录 ${chunk.id}`)), quoteBlock(plain(chunk.text)));
  return compose(blocks, keyboard);
}

export interface ModelAnswerSource {
  /** the [n] in the answer text */
  n: number;
  chunkId: string;
  essay: Essay;
  section: string;
}

/** The reference outline (its [n] markers numbered by the caller), the key points, and its sources as buttons. */
export function renderModelAnswer(question: InterviewQuestion, answer: string, points: string[], sources: ModelAnswerSource[]): OutMessage[] {
  const keyboard = new InlineKeyboard();
  sources.forEach((source) => keyboard.text(sourceButtonLabel(source.n, source.essay.title, source.section), encodeAction({ kind: 'source', chunkId: source.chunkId })).row());
  const blocks: Block[] = [para(bold(`📘 参考答案 · ${question.type}`)), quoteBlock(plain(question.stem)), para(plain(answer))];
  blocks.push(para(bold('采分点'), plain(`\n${points.map((p, i) => `${i + 1}. ${p}`).join('\n')}`)));
  if (sources.length > 0) {
    const lines = sources.map((s) => `[${s.n}] ${sourceLine(s.essay)}${s.section ? ` · ${s.section}` : ''}`);
    blocks.push(para(bold('出处'), plain(`\n${lines.join('\n')}`), italic('\n点下方按钮查看出处原文。')));
  }
  blocks.push(para(italic('参考答案是答题提纲,不是标准答案;用自己的话讲清表态、分析、对策和总结即可。')));
  return compose(blocks, keyboard);
}

// ---------------------------------------------------------------------------
// The mock's score sheet
// ---------------------------------------------------------------------------

export interface MockSheetView {
  report: MockReport;
  sessionSeconds: number;
  /** questions asked, in order, with what became of them */
  questions: Array<{ question: InterviewQuestion; total?: number; band?: string; status: 'answered' | 'skipped' | 'unanswered' }>;
}

export function renderMockReport(view: MockSheetView): OutMessage[] {
  const { report } = view;
  const answered = view.questions.filter((q) => q.status === 'answered').length;
  const blocks: Block[] = [
    para(bold('📝 模拟面试成绩单'), plain(`\n共 ${view.questions.length} 题,作答 ${answered} 题;用时 ${clockText(report.seconds)} / ${clockText(view.sessionSeconds)}`)),
  ];
  if (answered === 0) {
    blocks.push(para(plain('本场没有作答任何题目,所以没有成绩。发送 /mock 可以重新开始。')));
    return compose(blocks);
  }
  const rows = report.elements.map((e) =>
    e.score === null ? `${e.name}:—(本场未涉及)` : `${e.name}:${e.score.toFixed(1)} / 10 · ${e.band}`,
  );
  blocks.push(para(bold('测评要素'), plain(`(每项满分 10;${ELEMENT_BANDS_TEXT})\n`), plain(rows.join('\n'))));
  blocks.push(para(bold(`综合得分 ${report.total} / 100 · 档次:${report.band}`)));
  const lines = view.questions.map((q, i) =>
    q.status === 'answered'
      ? `第 ${i + 1} 题 ${q.question.type}:${q.total} 分(${q.band})`
      : `第 ${i + 1} 题 ${q.question.type}:${q.status === 'skipped' ? '已跳过' : '未作答(时间到)'},不计分`,
  );
  blocks.push(para(bold('各题得分'), plain(`\n${lines.join('\n')}`)));
  blocks.push(
    para(
      italic(
        '说明:各能力要素取对应题型题目的“核心能力”维度,言语表达取各题平均;综合得分是已作答题目总分的平均。举止仪表等文字练习无法观察的要素未计入。每道题的详细点评见下方。',
      ),
    ),
  );
  return compose(blocks);
}

// ---------------------------------------------------------------------------
// /stats and /review
// ---------------------------------------------------------------------------

/** "Delete this attempt?" with what it was. */
export function attemptKey(at: string): string {
  return new Date(at).getTime().toString(36);
}

export function renderDeleteLastConfirm(attempt: { type: string; total: number; band: string; at: string; questionId?: string }): OutMessage[] {
  const when = new Date(attempt.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const keyboard = new InlineKeyboard().text('确定删除', encodeDrill({ kind: 'deleteLast', confirmed: true, at: attemptKey(attempt.at) }));
  return compose([para(bold('删除最近一次练习记录?'), plain(`\n${when}(北京时间)· ${attempt.type}${attempt.questionId && attempt.questionId !== OWN_QUESTION_ID ? ` · ${attempt.questionId}` : ''} · ${attempt.total} 分(${attempt.band})\n删除后统计和复习安排会按剩下的记录重算。`))], keyboard);
}

export interface StatsView {
  stats: DrillStats;
  modes: { offline: number; llm: number };
}

export function renderStats(view: StatsView): OutMessage[] {
  const { stats } = view;
  const keyboard = new InlineKeyboard().text('按弱项复习下一题', encodeDrill({ kind: 'review' })).row().text('删除最近一次记录', encodeDrill({ kind: 'deleteLast', confirmed: false }));
  const blocks: Block[] = [
    para(bold('📈 练习统计')),
    para(
      plain(`共练习 ${stats.attempts} 次:好 ${stats.bands.好} · 中 ${stats.bands.中} · 差 ${stats.bands.差};平均分 ${stats.averageTotal}。\n`),
      plain(`评分方式:离线规则 ${view.modes.offline} 次 · 大模型 ${view.modes.llm} 次。`),
    ),
    para(bold('各维度平均'), plain('(满分 10)\n'), plain(stats.byDimension.map((d) => `${d.name} ${d.average.toFixed(1)}`).join('\n'))),
    para(
      bold('各题型'),
      plain(`\n${stats.byType.map((t) => `${t.type}:${t.count} 次,平均 ${t.average} 分,核心能力 ${t.coreAverage.toFixed(1)}/10`).join('\n')}`),
    ),
  ];
  const recent = stats.trend.slice(-10);
  if (recent.length > 0) blocks.push(para(bold(`得分趋势(最近 ${recent.length} 次)`), plain(`\n${recent.map((t) => t.total).join(' → ')}`)));
  if (stats.weakest) {
    blocks.push(para(bold('最需要加强:'), plain(`${stats.weakest.name}(平均 ${stats.weakest.average.toFixed(1)}/10)。发送 /review 练一道针对弱项的题。`)));
  }
  return compose(blocks, keyboard);
}

export function renderNoHistory(): OutMessage[] {
  const keyboard = new InlineKeyboard().text('开始练习', encodeDrill({ kind: 'picker' }));
  return compose([para(plain('还没有练习记录。发送 /drill 练一道题,或 /mock 进行一场 3 题的模拟面试,之后这里会显示各维度得分和进步趋势。'))], keyboard);
}

export function renderReviewPick(reason: string): OutMessage[] {
  return compose([para(bold('🔁 按弱项复习'), plain(`\n${reason}`))]);
}

export function renderMockIntro(count: number, sessionSeconds: number, thinkingSeconds: number, answerSeconds: number): OutMessage[] {
  return compose([
    para(bold('🎯 模拟面试开始')),
    para(
      plain(
        `共 ${count} 道题,限时 ${durationText(sessionSeconds)}(参照基层类面试 3 题 15 分钟)。每道题思考 ${durationText(thinkingSeconds)}、作答 ${durationText(answerSeconds)};答完自动进入下一题,考官可能追问。全部结束后给出仿照评分表的成绩单和逐题点评。`,
      ),
    ),
  ]);
}
