// The drill's commands: /drill [题型|题号|自拟题目], /mock, /stats, /review, and /new (which
// ends a drill in progress).
import { InputFile, type Composer } from 'grammy';
import { chooseQuestion } from '../../../interview/drill.ts';
import { contentLength, drillStats, nextReviewQuestion, questionFromText, QUESTION_TYPES, type QuestionType } from '../../../interview/index.ts';
import type { BotContext } from '../../context.ts';
import { renderText } from '../../render.ts';
import { renderNoHistory, renderReviewPick, renderStats, renderTypePicker } from '../../render-drill.ts';
import type { DrillContext } from './context.ts';
import { abandonCurrent, startMockDrill, startSingle } from './flow.ts';

export const DRILL_COMMANDS = [
  { command: 'drill', description: '结构化面试单题练习(可加题型,如 /drill 应急应变)' },
  { command: 'mock', description: '模拟面试:3 道题 15 分钟,结束给成绩单' },
  { command: 'stats', description: '面试练习统计与进度图' },
  { command: 'review', description: '按弱项复习:练下一道该练的题' },
];

const TYPE_ALIASES: Array<[RegExp, QuestionType]> = [
  [/^综合(分析)?$/, '综合分析'],
  [/^(组织(管理)?|计划(组织)?(协调)?|计划组织协调)$/, '组织管理'],
  [/^(应急(应变)?|应变)$/, '应急应变'],
  [/^(人际(沟通|关系)?|沟通)$/, '人际沟通'],
  [/^(现场(模拟)?|模拟|情景模拟)$/, '现场模拟'],
];

export function parseQuestionType(text: string): QuestionType | undefined {
  const t = text.replace(/[\s题类]+$/g, '').trim();
  return TYPE_ALIASES.find(([pattern]) => pattern.test(t))?.[1];
}

/** "/drill <text>" with at least this much text is a question of the candidate's own. */
const OWN_QUESTION_MIN_CHARS = 15;

export async function sendStats(dc: DrillContext, ctx: BotContext): Promise<void> {
  const h = dc.history(ctx);
  if (h.attempts.length === 0) {
    await dc.say(ctx, renderNoHistory());
    return;
  }
  const stats = drillStats(h);
  const modes = { offline: h.attempts.filter((a) => a.mode !== 'llm').length, llm: h.attempts.filter((a) => a.mode === 'llm').length };
  await dc.say(ctx, renderStats({ stats, modes }));
  try {
    await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
    // echarts and resvg load with the first chart (about a second), not at every start
    const { renderProgressChart } = await import('../../../interview/chart.ts');
    const png = await renderProgressChart({
      dimensions: stats.byDimension.map((d) => ({ name: d.name, score: d.average, max: 10 })),
      trend: stats.trend,
      title: '面试练习进度',
    });
    await ctx.replyWithPhoto(new InputFile(png, 'progress.png'), { caption: `左:各维度平均分(满分 10);右:最近 ${stats.trend.length} 次练习的总分。` });
  } catch (error) {
    ctx.log.warn('drill.chart_failed', { error });
    await dc.say(ctx, renderText('进度图暂时没能生成,上面的文字统计不受影响。'));
  }
}

export async function startReview(dc: DrillContext, ctx: BotContext): Promise<void> {
  const { question, reason } = nextReviewQuestion(dc.history(ctx), dc.bank, new Date());
  await startSingle(dc, ctx, question, renderReviewPick(reason));
}

/** what a bank question's id looks like: two letters and a number (zh-01) */
const QUESTION_ID = /^([a-z]{2})-?(\d{1,3})$/i;

export function registerCommands(dc: DrillContext, composer: Composer<BotContext>): void {
  composer.command('drill', async (ctx) => {
    const arg = ctx.match.trim();
    if (arg === '') {
      await dc.say(ctx, renderTypePicker(dc.counts));
      return;
    }
    const type = parseQuestionType(arg);
    // (an id as typed on a phone keyboard: ZH-01, zh01, zh1)
    const typed = QUESTION_ID.exec(arg);
    const id = typed ? `${typed[1].toLowerCase()}-${typed[2].padStart(2, '0')}` : undefined;
    const question = type ? chooseQuestion(dc.bank, type, dc.random) : dc.byId.get(id ?? arg);
    // anything longer than a type or an id is a question of the candidate's own
    if (!question && !type && contentLength(arg) >= OWN_QUESTION_MIN_CHARS) {
      const own = await questionFromText(arg, dc.deps.retriever);
      await startSingle(dc, ctx, own, undefined, 'detected');
      return;
    }
    if (!question) {
      const note = type
        ? `题库里暂时没有${type}题,请换个题型。`
        : id
          ? `题库里没有编号为“${id}”的题。可以按题型选一道,或发送 /drill 加上你自己的题目。`
          : `没有“${arg}”这个题型。可选的题型:${QUESTION_TYPES.join('、')}。`;
      await dc.say(ctx, renderTypePicker(dc.counts, note));
      return;
    }
    await startSingle(dc, ctx, question);
  });

  // /new starts over: a drill in progress ends, and says so
  composer.command('new', (ctx) => abandonCurrent(dc, ctx));
  composer.command('mock', (ctx) => startMockDrill(dc, ctx));
  composer.command('stats', (ctx) => sendStats(dc, ctx));
  composer.command('review', (ctx) => startReview(dc, ctx));
}
