// The drill's buttons (callback data "d:…", see render-drill.ts): one handler per action kind.
// Every press is answered (ack) once, with a short note where the button no longer applies.
import type { Composer } from 'grammy';
import { afterFollowUp, beginAnswering, chooseQuestion, clockOf, draftAnswer, routeMessage, type DrillSession } from '../../../interview/drill.ts';
import { contentLength, type InterviewQuestion, modelAnswerWithSources, OWN_QUESTION_ID, passagesFor, questionFromText, rewriteAnswer, withoutLastAttempt } from '../../../interview/index.ts';
import { findAttempt, reviewRecordOfAttempt } from '../../../interview/history.ts';
import type { BotContext } from '../../context.ts';
import { renderText } from '../../render.ts';
import {
  decodeDrill,
  durationText,
  fillerCount,
  attemptKey,
  renderDeleteLastConfirm,
  renderDrillDone,
  renderMissExcerpt,
  renderModelAnswer,
  renderReviewDetails,
  renderRewrite,
  renderTypePicker,
  type DrillAction,
  type ModelAnswerSource,
  type ReviewRecord,
} from '../../render-drill.ts';
import { ack, editMessage, sendMessages } from '../../send.ts';
import { sendStats, startReview } from './commands.ts';
import type { DrillContext } from './context.ts';
import { answerFollowUp, addToDraft, scoreMain, submitText } from './answers.ts';
import { endSingle, proceed, startSingle } from './flow.ts';

/** One button press: the chat's drill as it was when the press came in, and the message the button is on. */
interface Press {
  dc: DrillContext;
  ctx: BotContext;
  drill: DrillSession | undefined;
  pressedOn: number | undefined;
}

type Kind = DrillAction['kind'];
type ButtonHandler<K extends Kind> = (press: Press, action: Extract<DrillAction, { kind: K }>) => Promise<void>;

const ackPress = (p: Press, text?: string, alert?: boolean): Promise<void> => ack(p.ctx, p.ctx.log, text, alert);

/** A review by its id: one of the drill in progress, or an attempt's in the practice record. */
async function reviewRecord(ctx: BotContext, id: string): Promise<ReviewRecord | undefined> {
  const ofDrill = ctx.session.drillReviews?.find((r) => r.id === id);
  if (ofDrill) return ofDrill;
  const attempt = findAttempt(await ctx.practice.load(), id);
  return attempt && reviewRecordOfAttempt(attempt);
}

/** The drill when the button is on the card of its current question and the clock is running. */
function onLiveCard({ drill, pressedOn }: Press): DrillSession | undefined {
  return drill && drill.cardMessageId === pressedOn && (drill.phase === 'thinking' || drill.phase === 'answering') ? drill : undefined;
}

/** Starts the question a button picked, or says (as an alert) why there is none. */
async function startPicked(p: Press, question: InterviewQuestion | undefined, missing: string): Promise<void> {
  if (!question) {
    await ackPress(p, missing, true);
    return;
  }
  await ackPress(p);
  await startSingle(p.dc, p.ctx, question);
}

const BUTTONS: { [K in Kind]: ButtonHandler<K> } = {
  picker: async (p) => {
    await ackPress(p);
    await p.dc.say(p.ctx, renderTypePicker(p.dc.counts));
  },

  pick: (p, action) => startPicked(p, chooseQuestion(p.dc.bank, action.type, p.dc.random), '这个题型暂时没有题目。'),

  details: async (p, action) => {
    const { ctx } = p;
    const record = await reviewRecord(ctx, action.id);
    if (!record) {
      await ackPress(p, '这次点评的详情已经不在了(只保留最近 30 次,或者已经删除)。', true);
      return;
    }
    await ackPress(p);
    await p.dc.say(ctx, renderReviewDetails(record, { heading: '', answerSeconds: p.dc.timing.answerSeconds, buttons: true }));
  },

  submit: async (p) => {
    const { drill } = p;
    if (!drill || (drill.phase !== 'thinking' && drill.phase !== 'answering') || (drill.draft?.length ?? 0) === 0) {
      await ackPress(p, '没有待提交的作答。');
      return;
    }
    await ackPress(p, '好的,开始评分。');
    await submitText(p.dc, p.ctx, drill, draftAnswer(drill));
  },

  keep: async (p) => {
    const { drill } = p;
    if (!drill?.pending || (drill.phase !== 'thinking' && drill.phase !== 'answering')) {
      await ackPress(p, '这条消息已经处理过了。');
      return;
    }
    await ackPress(p, '好的,算作答。');
    const kept = drill.pending;
    const route = routeMessage(drill, kept, contentLength(kept), true);
    if (route === 'score') await submitText(p.dc, p.ctx, drill, kept);
    else await addToDraft(p.dc, p.ctx, drill, kept);
  },

  notAnswer: async (p) => {
    const { drill } = p;
    if (!drill?.pending) {
      await ackPress(p, '这条消息已经处理过了。');
      return;
    }
    p.ctx.session.drill = { ...drill, pending: undefined };
    await ackPress(p, '好的,这条不计入作答。');
    await p.dc.say(p.ctx, renderText('这条不计入作答,计时照常进行。想查资料的话,可以先点题卡上的「放弃本题」,问完再发 /drill 练习。'));
  },

  retype: async (p, action) => {
    const { dc, ctx, drill, pressedOn } = p;
    if (!drill?.own || drill.cardMessageId !== pressedOn || drill.phase !== 'thinking') {
      await ackPress(p, '只有自拟题目在思考阶段可以改题型。');
      return;
    }
    await ackPress(p, `题型已改为${action.type}。`);
    const own = await questionFromText(drill.own.question.stem, dc.deps.retriever, action.type);
    const next: DrillSession = { ...drill, own: { question: own, typeSource: 'chosen' } };
    ctx.session.drill = next;
    const card = dc.liveCard(next, clockOf(next, Date.now(), dc.timing));
    if (card && ctx.chat && pressedOn !== undefined) {
      try {
        await editMessage(ctx.api, ctx.chat.id, pressedOn, card, ctx.log);
      } catch (error) {
        ctx.log.debug('drill.card_edit_failed', { error });
      }
    }
  },

  begin: async (p) => {
    const { dc } = p;
    const drill = onLiveCard(p);
    if (!drill) {
      await ackPress(p, '这道题已经结束了。');
      return;
    }
    if (clockOf(drill, Date.now(), dc.timing).phase !== 'thinking') {
      await ackPress(p, '已经在作答时间了,请直接发送回答。');
      return;
    }
    await ackPress(p, `开始作答,计时 ${durationText(dc.timing.answerSeconds)}。`);
    const started = beginAnswering(drill, Date.now());
    await dc.settleCard(p.ctx, started, 'answering');
    p.ctx.session.drill = started;
  },

  quit: async (p) => {
    const { dc, ctx } = p;
    const drill = onLiveCard(p);
    if (!drill) {
      await ackPress(p, '这道题已经结束了。');
      return;
    }
    await ackPress(p);
    if (drill.kind === 'single') {
      await dc.settleCard(ctx, drill, 'abandoned');
      await endSingle(dc, ctx, drill);
      return;
    }
    await dc.settleCard(ctx, drill, 'skipped');
    // a skipped question is left like a 追问 nobody answered: on to the next one
    const next = afterFollowUp(drill, Date.now());
    ctx.session.drill = next;
    await dc.say(ctx, renderText(`已跳过第 ${drill.index + 1} 题,不计分。`));
    await proceed(dc, ctx, next);
  },

  miss: async (p, action) => {
    const { dc, ctx } = p;
    const { retriever } = dc.deps;
    const questionId = action.pointId.replace(/-\d+$/, '');
    // a question of the candidate's own is not in the bank: its points were drawn from the passage itself
    const own = questionId === OWN_QUESTION_ID;
    const point = dc.byId.get(questionId)?.keyPoints.find((k) => k.id === action.pointId);
    const chunk = own ? retriever.chunk(action.chunkId) : point ? passagesFor(point, retriever).find((c) => c.id === action.chunkId) : undefined;
    const essay = chunk ? retriever.essay(chunk.essayId) : undefined;
    if ((!point && !own) || !chunk || !essay || !ctx.chat) {
      await ackPress(p, '这段原文已经找不到了(知识库或题库可能已更新)。', true);
      return;
    }
    await ackPress(p);
    await sendMessages(ctx.api, ctx.chat.id, renderMissExcerpt(point?.point, essay, chunk), { logger: ctx.log });
  },

  answer: async (p, action) => {
    const { dc, ctx } = p;
    const { retriever } = dc.deps;
    const question = dc.byId.get(action.questionId);
    if (!question) {
      await ackPress(p, '这道题已经不在题库里了。', true);
      return;
    }
    // the reference answer only after an attempt
    if (!dc.history(ctx).attempts.some((a) => a.questionId === question.id)) {
      await ackPress(p, '先作答,答完才能看参考答案。', true);
      return;
    }
    await ackPress(p);
    // [n] markers cite key points; numbered in reading order with the source viewer's buttons
    const resolved = modelAnswerWithSources(question, retriever);
    const sources: ModelAnswerSource[] = resolved.sources.flatMap(({ n, citation }) => {
      const essay = retriever.essay(citation.essayId);
      return essay ? [{ n, chunkId: citation.chunkId, essay, section: citation.section }] : [];
    });
    await dc.say(ctx, renderModelAnswer(question, resolved.text, question.keyPoints.map((k) => k.point), sources));
  },

  confirm: async (p) => {
    const { dc, ctx, drill, pressedOn } = p;
    if (!drill || drill.phase !== 'transcript' || !drill.transcript) {
      await ackPress(p, '这段转写已经处理过了。');
      return;
    }
    await ackPress(p, '好的,开始评分。');
    if (ctx.chat && pressedOn !== undefined) {
      await ctx.api.editMessageReplyMarkup(ctx.chat.id, pressedOn, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    }
    const { text, seconds } = drill.transcript;
    if (drill.followUp) await answerFollowUp(dc, ctx, drill, text);
    else await scoreMain(dc, ctx, drill, text, { kind: 'voice', chars: contentLength(text), seconds, fillers: fillerCount(text) });
  },

  edit: async (p) => {
    const { drill } = p;
    if (!drill || drill.phase !== 'transcript') {
      await ackPress(p, '这段转写已经处理过了。');
      return;
    }
    await ackPress(p);
    await p.dc.say(p.ctx, renderText('请把修改后的完整回答用文字发给我(可以复制上面的转写再改),收到后直接评分。'));
  },

  skip: async (p) => {
    const { drill } = p;
    if (!drill || !drill.followUp || (drill.phase !== 'followup' && drill.phase !== 'transcript')) {
      await ackPress(p, '这个追问已经结束了。');
      return;
    }
    await ackPress(p);
    await answerFollowUp(p.dc, p.ctx, drill, undefined);
  },

  stats: async (p) => {
    await ackPress(p);
    await sendStats(p.dc, p.ctx);
  },

  start: (p, action) => startPicked(p, p.dc.byId.get(action.questionId), '这道题已经不在题库里了,发送 /review 换一道。'),

  review: async (p) => {
    await ackPress(p);
    await startReview(p.dc, p.ctx);
  },

  rewrite: async (p, action) => {
    const chat = p.dc.examiner.chat;
    const record = chat ? await reviewRecord(p.ctx, action.id) : undefined;
    if (!chat || !record?.answer) {
      await ackPress(p, chat ? '这次作答已经不在了(只保留最近 30 次,或者已经删除)。' : '改写需要配置大模型。', true);
      return;
    }
    await ackPress(p, '正在改写,请稍候。');
    const stop = p.dc.startTyping(p.ctx);
    try {
      const result = await rewriteAnswer({ type: record.review.type, stem: record.review.question }, record.answer, record.review, chat);
      await p.dc.say(p.ctx, renderRewrite(result.rewritten, result.changes));
    } catch (error) {
      p.ctx.log.warn('drill.rewrite_failed', { error });
      await p.dc.say(p.ctx, renderText('这次没能生成改写(大模型返回的结果无效或暂时不可用),评分不受影响。'));
    } finally {
      stop();
    }
  },

  deleteLast: async (p, action) => {
    const history = await p.ctx.practice.load();
    const last = history.attempts[history.attempts.length - 1];
    if (!last) {
      await ackPress(p, '没有可以删除的练习记录。');
      return;
    }
    await ackPress(p);
    if (!action.confirmed) {
      await p.dc.say(p.ctx, renderDeleteLastConfirm(last));
      return;
    }
    // a confirmation pressed twice, or after another attempt, deletes nothing more
    if (action.at !== attemptKey(last.at)) {
      await p.dc.say(p.ctx, renderText('这条确认已经过期(最近一次记录已经变了),没有删除任何记录。'));
      return;
    }
    await p.ctx.practice.save(withoutLastAttempt(history).history);
    await p.dc.say(p.ctx, renderText(`已删除 ${last.at.slice(0, 10)} 的这次练习(${last.type},${last.total} 分)。发送 /stats 查看更新后的统计。`));
  },
};

export function registerButtons(dc: DrillContext, composer: Composer<BotContext>): void {
  composer.callbackQuery(/^d:/, async (ctx) => {
    const action = decodeDrill(ctx.callbackQuery.data);
    if (!action) {
      await ack(ctx, ctx.log, '这个按钮已失效。');
      return;
    }
    const press: Press = { dc, ctx, drill: ctx.session.drill, pressedOn: ctx.callbackQuery.message?.message_id };
    // the map pairs each kind with its own handler; TypeScript cannot follow that through the union
    const handler = BUTTONS[action.kind] as ButtonHandler<Kind>;
    await handler(press, action);
  });
}
