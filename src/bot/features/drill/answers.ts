// Answers in a drill: typed messages (a whole answer, a part of one kept as a draft, or a
// question that is confirmed first), voice messages (transcribed, then confirmed), and the
// scoring of the main answer and of the 追问.
import type { Composer } from 'grammy';
import { afterFollowUp, afterReview, clockOf, draftAnswer, hasDraft, routeMessage, withDraft, type DrillSession } from '../../../interview/drill.ts';
import { contentLength, recordAttempt, scoreAnswer, scoreFollowUp, type Review } from '../../../interview/index.ts';
import { withFollowUpOutcome } from '../../../interview/history.ts';
import { attemptDetailOf, reviewRecordOf, type Delivery, type FollowUpOutcome } from '../../../interview/review-record.ts';
import type { BotContext } from '../../context.ts';
import { ownEventOf, type OwnEvent } from '../../own-update.ts';
import { renderText } from '../../render.ts';
import {
  fillerCount,
  renderConfirmAnswer,
  renderDraftStatus,
  renderFollowUpOutcome,
  renderMockAck,
  renderReview,
  renderTranscript,
} from '../../render-drill.ts';
import { DEFAULT_API_ROOT, downloadTelegramFile, MAX_DOWNLOAD_BYTES } from '../../transcribe.ts';
import type { DrillContext } from './context.ts';
import { proceed } from './flow.ts';

/** Shorter than this, a message in a drill is not taken for an answer (a stray "好" or "?"). */
export const MIN_MESSAGE_CHARS = 5;

/** The phases in which a message is taken for an answer. */
const ANSWER_PHASES = ['thinking', 'answering', 'transcript', 'followup'];

/** Scores a typed answer, noting when it came after the answer time. */
export async function submitText(dc: DrillContext, ctx: BotContext, drill: DrillSession, text: string): Promise<void> {
  const clock = clockOf(drill, Date.now(), dc.timing);
  const overtime = clock.phase === 'answering' && clock.phaseLeft < 0 ? -clock.phaseLeft : undefined;
  const settled: DrillSession = { ...drill, draft: undefined, pending: undefined };
  await scoreMain(dc, ctx, settled, text, { kind: 'text', chars: contentLength(text), ...(overtime !== undefined ? { overtimeSeconds: overtime } : {}) });
}

/** The answer time and its grace ran out with a draft open: the draft is submitted as it stands. */
async function submitAtTimeUp(dc: DrillContext, ctx: BotContext, event: OwnEvent): Promise<void> {
  const drill = ctx.session.drill;
  // answered, ended or moved on meanwhile (another message or instance came first): nothing to do
  if (!drill || drill.startedAt !== event.startedAt || drill.index !== event.index || !hasDraft(drill)) return;
  if (!clockOf(drill, Date.now(), dc.timing).timeUp) return;
  const parts = drill.draft?.length ?? 0;
  await dc.say(ctx, renderText(`⏰ 作答时间到,已自动提交你发的 ${parts} 段作答,开始评分。`));
  ctx.log.info('drill.submitted_at_time_up', { parts });
  await submitText(dc, ctx, drill, draftAnswer(drill));
}

export async function addToDraft(dc: DrillContext, ctx: BotContext, drill: DrillSession, text: string): Promise<void> {
  const next = withDraft(drill, text);
  ctx.session.drill = next;
  await dc.say(ctx, renderDraftStatus(next.draft?.length ?? 1, contentLength(draftAnswer(next)), dc.timing.answerSeconds));
}

export async function scoreMain(dc: DrillContext, ctx: BotContext, drill: DrillSession, text: string, delivery: Delivery): Promise<void> {
  const question = dc.questionOf(drill);
  if (!question) return;
  const { answerSeconds } = dc.timing;
  if (drill.phase === 'thinking' || drill.phase === 'answering') await dc.settleCard(ctx, drill, 'received');
  const stopTyping = dc.startTyping(ctx);
  const started = Date.now();
  let review: Review;
  try {
    review = await scoreAnswer(question, text, { ...dc.examiner, logger: ctx.log, time: { limitSeconds: answerSeconds }, typeSource: drill.own?.typeSource });
  } finally {
    stopTyping();
  }
  const now = Date.now();
  const record = reviewRecordOf(review, delivery, text, now);
  const next = afterReview(drill, review, now);
  if (drill.kind === 'mock') await dc.say(ctx, renderMockAck(drill.index, drill.questionIds.length));
  else await dc.say(ctx, renderReview(record, { heading: `📋 评分结果 · ${question.type}`, answerSeconds, buttons: true, rewrite: dc.examiner.chat !== undefined }));
  // recorded once the user has seen it (or, in a mock, been told it is in)
  await ctx.practice.save(recordAttempt(await ctx.practice.load(), review, new Date(now), attemptDetailOf(review, text, delivery)));
  ctx.session.drillReviews = [...(ctx.session.drillReviews ?? []), record];
  ctx.session.drill = next;
  ctx.log.info('drill.scored', {
    questionId: question.id,
    total: review.total,
    band: review.band,
    mode: review.mode,
    delivery: delivery.kind,
    ms: now - started,
  });
  await proceed(dc, ctx, next);
}

/** The reply to the 追问 (undefined: skipped), scored against what the main answer missed. */
export async function answerFollowUp(dc: DrillContext, ctx: BotContext, drill: DrillSession, text: string | undefined): Promise<void> {
  const question = dc.questionOf(drill);
  if (!question) return;
  const records = [...(ctx.session.drillReviews ?? [])];
  const last = records[records.length - 1];
  let outcome: FollowUpOutcome = { question: drill.followUp ?? '', answered: false, covered: [], remaining: [] };
  if (text !== undefined) {
    const missed = last?.review.questionId === question.id ? last.review.misses.map((m) => m.pointId) : [];
    const stopTyping = dc.startTyping(ctx);
    try {
      const result = await scoreFollowUp(question, missed, drill.followUp ?? '', text, { ...dc.examiner, logger: ctx.log });
      outcome = { ...outcome, answered: true, ...result };
    } finally {
      stopTyping();
    }
    if (drill.kind === 'mock') await dc.say(ctx, renderText('已收到追问的回答,点评在模拟面试结束后一并给出。'));
    else await dc.say(ctx, renderFollowUpOutcome(outcome));
  } else {
    await dc.say(ctx, renderText('已跳过追问。'));
  }
  if (last) {
    records[records.length - 1] = { ...last, followUp: outcome };
    ctx.session.drillReviews = records;
  }
  // the practice record keeps it with the attempt
  await ctx.practice.save(withFollowUpOutcome(await ctx.practice.load(), question.id, outcome));
  const next = afterFollowUp(drill, Date.now());
  ctx.session.drill = next;
  ctx.log.info('drill.followup', { questionId: question.id, answered: outcome.answered, covered: outcome.covered.length });
  await proceed(dc, ctx, next);
}

/** A voice answer: transcribed and shown back, to be confirmed or corrected before it is scored. */
async function onVoice(dc: DrillContext, ctx: BotContext, drill: DrillSession): Promise<void> {
  const { deps } = dc;
  const voiceMessage = ctx.msg?.voice;
  if (!voiceMessage || !ctx.chat) return;
  if (!deps.transcriber) {
    await dc.say(ctx, renderText('暂时无法识别语音(没有配置语音转写服务)。请把你的回答用文字发给我,计时照常进行。'));
    return;
  }
  if ((voiceMessage.file_size ?? 0) > MAX_DOWNLOAD_BYTES) {
    await dc.say(ctx, renderText('这段语音太大了,我下载不了。请录短一些,或者用文字作答。'));
    return;
  }
  const stopTyping = dc.startTyping(ctx);
  let text: string;
  try {
    const file = await ctx.getFile();
    if (!file.file_path) throw new Error('getFile returned no file_path');
    const apiRoot = deps.telegramApiRoot ?? ctx.api.options?.apiRoot ?? DEFAULT_API_ROOT;
    const audio = await downloadTelegramFile(apiRoot, ctx.api.token, file.file_path);
    text = await deps.transcriber.transcribe(audio, 'voice.ogg', AbortSignal.timeout(60_000));
  } catch (error) {
    ctx.log.warn('drill.transcription_failed', { error });
    await dc.say(ctx, renderText('语音转写没有成功。请再发一次语音,或者直接用文字作答。'));
    return;
  } finally {
    stopTyping();
  }
  if (contentLength(text) === 0) {
    await dc.say(ctx, renderText('没有从这段语音里识别出文字。请靠近话筒再录一次,或者用文字作答。'));
    return;
  }
  const isMain = !drill.followUp;
  if (drill.phase === 'thinking' || drill.phase === 'answering') await dc.settleCard(ctx, drill, 'voice');
  ctx.session.drill = { ...drill, phase: 'transcript', transcript: { text, seconds: voiceMessage.duration } };
  ctx.log.info('drill.voice', { seconds: voiceMessage.duration, chars: contentLength(text), followUp: !isMain });
  await dc.say(ctx, renderTranscript(text, voiceMessage.duration, isMain ? dc.timing.answerSeconds : undefined));
}

export function registerAnswers(dc: DrillContext, composer: Composer<BotContext>): void {
  composer.use(async (ctx, next) => {
    const event = ownEventOf(ctx);
    if (event?.kind !== 'drill.time_up') return next();
    await submitAtTimeUp(dc, ctx, event);
  });

  composer.on('message:text', async (ctx, next) => {
    const drill = ctx.session.drill;
    if (!drill || ctx.entities('bot_command').some((e) => e.offset === 0)) return next();
    const mention = new RegExp(`@${ctx.me.username}(?![\\w])`, 'gi');
    const text = ctx.msg.text.replace(mention, ' ').trim();
    if (!ANSWER_PHASES.includes(drill.phase)) return next();
    const chars = contentLength(text);
    if (chars < MIN_MESSAGE_CHARS) {
      await dc.say(
        ctx,
        renderText(
          drill.phase === 'followup'
            ? `这条消息只有 ${chars} 个字,不像是对追问的回答。请具体说说你会怎么做;不想回答可以点「跳过追问」。`
            : `这条消息只有 ${chars} 个字,不像是一段回答(3 分钟的口头作答约 450–650 字)。请发送完整的回答;不想答这道题可以点题卡上的「${drill.kind === 'mock' ? '跳过本题' : '放弃本题'}」。`,
        ),
      );
      return;
    }
    if (drill.phase === 'followup' || (drill.phase === 'transcript' && drill.followUp)) {
      await answerFollowUp(dc, ctx, drill, text);
      return;
    }
    if (drill.phase === 'transcript') {
      // the corrected transcript: the spoken duration still stands
      const seconds = drill.transcript?.seconds;
      await scoreMain(dc, ctx, drill, text, seconds !== undefined ? { kind: 'voice', chars, seconds, fillers: fillerCount(drill.transcript?.text ?? text) } : { kind: 'text', chars });
      return;
    }
    // thinking or answering: a whole answer is scored; a question is confirmed first; parts are collected
    const route = routeMessage(drill, text, chars);
    if (route === 'score') {
      await submitText(dc, ctx, drill, text);
      return;
    }
    if (route === 'confirm') {
      ctx.session.drill = { ...drill, pending: text };
      await dc.say(ctx, renderConfirmAnswer(text));
      return;
    }
    await addToDraft(dc, ctx, drill, text);
  });

  composer.on('message:voice', async (ctx, next) => {
    const drill = ctx.session.drill;
    if (!drill || !ANSWER_PHASES.includes(drill.phase)) return next();
    await onVoice(dc, ctx, drill);
  });
}
