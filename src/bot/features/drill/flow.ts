// The course of a drill: starting one (ending the one before), moving on after an answer,
// the end with its report, and keeping the stored drill and its countdown in order.
import { mockReport, startDrill, startMock, type DrillSession } from '../../../interview/drill.ts';
import { readDrillSession } from '../../../interview/session-schema.ts';
import type { InterviewQuestion } from '../../../interview/index.ts';
import { sessionKey, type BotContext } from '../../context.ts';
import { ownUpdate } from '../../own-update.ts';
import { renderText, type OutMessage } from '../../render.ts';
import { renderDrillDone, renderFollowUpPrompt, renderMockIntro, renderMockReport, renderReview, type MockSheetView } from '../../render-drill.ts';
import type { DrillContext } from './context.ts';

/** The drill and its reviews leave the session (the practice record keeps what was scored). */
function clearDrill(ctx: BotContext): void {
  ctx.session.drill = undefined;
  ctx.session.drillReviews = undefined;
}

/** A single question is over (answered or given up): what to practise next. */
export async function endSingle(dc: DrillContext, ctx: BotContext, drill: DrillSession): Promise<void> {
  clearDrill(ctx);
  await dc.say(ctx, renderDrillDone('single', dc.questionOf(drill)?.type));
}

/** Drops a drill that is unreadable, no longer in the bank, finished, or long abandoned. */
export async function tidy(dc: DrillContext, ctx: BotContext): Promise<void> {
  const drill: unknown = ctx.session.drill;
  if (drill === undefined) return;
  const key = sessionKey(ctx);
  const drop = (): void => {
    clearDrill(ctx);
    if (key) dc.timers.cancel(key);
  };
  const stored = readDrillSession(drill);
  if (!stored || !dc.questionOf(stored) || stored.phase === 'done') {
    ctx.log.warn('drill.dropped_state');
    drop();
    return;
  }
  // the checked state from here on (a loose field of an older version is left as it was)
  ctx.session.drill = stored;
  if (Date.now() - stored.phaseStartedAt > dc.staleAfterMs) {
    drop();
    if (ctx.chat && (ctx.message || ctx.callbackQuery)) {
      await dc.say(ctx, renderText('你上次的面试练习很久没有继续,已经自动结束了。发送 /drill 可以重新开始。'));
    }
  }
}

/** Keeps the card's countdown running (or stopped) to match the session, e.g. after a restart. */
export function syncTimer(dc: DrillContext, ctx: BotContext): void {
  const key = sessionKey(ctx);
  if (!key || !ctx.chat) return;
  const drill = ctx.session.drill;
  if (drill && drill.cardMessageId !== undefined && (drill.phase === 'thinking' || drill.phase === 'answering')) {
    const { host } = dc;
    const { chat, from } = ctx;
    // at time-up the draft is submitted through an update of the bot's own, so it is handled in
    // turn with the chat's other updates and its session saved like theirs
    const onTimeUp =
      host && from ? () => void host.handleOwnUpdate(ownUpdate(chat, from, { kind: 'drill.time_up', startedAt: drill.startedAt, index: drill.index })) : undefined;
    const reminded = dc.timers.ensure(key, ctx.api, ctx.chat.id, drill, onTimeUp);
    if (reminded && !drill.reminded) ctx.session.drill = { ...drill, reminded: true };
  } else {
    dc.timers.cancel(key);
  }
}

/** Ends the drill in progress, if any (a new one is starting). */
export async function abandonCurrent(dc: DrillContext, ctx: BotContext): Promise<void> {
  const drill = ctx.session.drill;
  if (!drill) return;
  if (drill.phase === 'thinking' || drill.phase === 'answering') await dc.settleCard(ctx, drill, 'abandoned');
  clearDrill(ctx);
  if (drill.phase !== 'done') {
    const note =
      drill.kind === 'mock'
        ? '之前未完成的模拟面试已结束;已经作答的题目仍计入练习记录。'
        : drill.followUp
          ? '之前那道题的追问已结束,题目的得分已经记录。'
          : '之前未完成的那道题已结束,不计分。';
    await dc.say(ctx, renderText(note));
  }
}

export async function startSingle(
  dc: DrillContext,
  ctx: BotContext,
  question: InterviewQuestion,
  intro?: OutMessage[],
  typeSource?: 'detected' | 'chosen',
): Promise<void> {
  await abandonCurrent(dc, ctx);
  if (intro) await dc.say(ctx, intro);
  ctx.session.drillReviews = [];
  await dc.sendCard(ctx, startDrill(question, Date.now(), typeSource));
  ctx.log.info('drill.started', { kind: 'single', questionId: question.id });
}

export async function startMockDrill(dc: DrillContext, ctx: BotContext): Promise<void> {
  await abandonCurrent(dc, ctx);
  const { timing } = dc;
  const now = Date.now();
  // the last few questions practised are not asked again in this mock
  const recent = new Set(dc.history(ctx).attempts.slice(-3).flatMap((a) => (a.questionId ? [a.questionId] : [])));
  const mock: DrillSession = { ...startMock(dc.bank, now, dc.random, recent), endsAt: now + timing.mockSeconds * 1000 };
  if (mock.questionIds.length === 0) {
    await dc.say(ctx, renderText('题库里暂时没有足够的题目进行模拟面试。'));
    return;
  }
  ctx.session.drillReviews = [];
  await dc.say(ctx, renderMockIntro(mock.questionIds.length, timing.mockSeconds, timing.thinkingSeconds, timing.answerSeconds));
  await dc.sendCard(ctx, mock);
  ctx.log.info('drill.started', { kind: 'mock', questionIds: mock.questionIds });
}

/** After an answer or a 追问: the 追问, the next question, or the end. */
export async function proceed(dc: DrillContext, ctx: BotContext, drill: DrillSession): Promise<void> {
  if (drill.phase === 'followup' && drill.followUp) {
    await dc.say(ctx, renderFollowUpPrompt(drill.followUp, dc.voice));
    return;
  }
  if (drill.phase === 'done') {
    await finish(dc, ctx, drill);
    return;
  }
  await dc.sendCard(ctx, drill);
}

async function finish(dc: DrillContext, ctx: BotContext, drill: DrillSession): Promise<void> {
  const records = ctx.session.drillReviews ?? [];
  if (drill.kind === 'single') {
    await endSingle(dc, ctx, drill);
    return;
  }
  const report = mockReport(drill, Date.now());
  const questions: MockSheetView['questions'] = [];
  drill.questionIds.forEach((id, i) => {
    const question = dc.byId.get(id);
    if (!question) return;
    const result = report.questions.find((r) => r.questionId === id);
    questions.push(
      result
        ? { question, total: result.total, band: result.band, status: 'answered' }
        : { question, status: i <= drill.index ? 'skipped' : 'unanswered' },
    );
  });
  clearDrill(ctx);
  const { answerSeconds, mockSeconds } = dc.timing;
  await dc.say(ctx, renderMockReport({ report, sessionSeconds: drill.endsAt !== undefined ? (drill.endsAt - drill.startedAt) / 1000 : mockSeconds, questions }));
  for (const record of records) {
    const n = drill.questionIds.indexOf(record.review.questionId ?? '') + 1;
    await dc.say(ctx, renderReview(record, { heading: `第 ${n} 题点评 · ${record.review.type}`, answerSeconds, buttons: true, rewrite: dc.examiner.chat !== undefined }));
  }
  await dc.say(ctx, renderDrillDone('mock'));
  ctx.log.info('drill.mock_finished', { total: report.total, answered: report.questions.length });
}
