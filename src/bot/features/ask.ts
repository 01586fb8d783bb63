// Questions: /ask, example buttons, and (after all other features) any text message.
// Follow-ups are resolved here (followup.ts), answers streamed in LLM mode (stream.ts).
import { Composer } from 'grammy';
import { EXAMPLE_QUESTIONS } from '../../answer/answerer.ts';
import type { Answer } from '../../answer/types.ts';
import { decodeAction, verbs } from '../callbacks.ts';
import type { BotContext } from '../context.ts';
import { answerBrief, looksLikeFollowUp, planFollowUp, previousTurn, rememberTurn, SHORT_QUESTION, unknownWords, type FollowUpPlan } from '../followup.ts';
import { MAX_QUESTION_CHARS, mediaName, renderAnswer, renderSmallTalk, renderText, renderTooLong, renderUnsupported, type AnswerView } from '../render.ts';
import { smallTalkOf } from '../../answer/small-talk.ts';
import { ack, reply, replyTarget } from '../send.ts';
import { AnswerStream } from '../stream.ts';
import type { BotServices } from '../types.ts';
import { effectiveMode } from './start.ts';
import { startTyping } from '../typing.ts';

/** The message text without "@thisbot" mentions (groups). */
export function questionText(ctx: BotContext, text = ctx.msg?.text ?? ''): string {
  const mention = new RegExp(`@${ctx.me.username}(?![\\w])`, 'gi');
  return text.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}

function typing(ctx: BotContext, s: BotServices): () => void {
  return startTyping(ctx.api, ctx.chat?.id, s.options.typingIntervalMs, s.logger);
}

type Plan = Pick<FollowUpPlan, 'question' | 'context' | 'topic'> & { understood?: FollowUpPlan['understood'] };

export async function answerQuestion(s: BotServices, ctx: BotContext, raw: string, view: Pick<AnswerView, 'asked'> = {}): Promise<void> {
  const question = raw.trim();
  if (!ctx.chat) return;
  if (question === '') {
    await reply(ctx, renderText(`请在 /ask 后面写上您的问题,例如:/ask ${EXAMPLE_QUESTIONS[0]}`), s.logger);
    return;
  }
  if (question.length > MAX_QUESTION_CHARS) {
    await reply(ctx, renderTooLong(question.length), s.logger);
    return;
  }
  const now = Date.now();
  const previous = previousTurn(ctx.session.turns, now);
  // stored sessions may predate this field or be damaged: only strings count
  const quotedBefore = Array.isArray(previous?.quoted) ? previous.quoted.filter((k): k is string => typeof k === 'string') : [];
  let mode = effectiveMode(s, ctx);
  // past the user's daily model budget, answers are extractive (and say so); the budget is
  // charged below, only for answers the model wrote (not for questions the essays do not cover)
  const budgetSpent = mode === 'llm' && ctx.from !== undefined && (await s.budget.remaining(ctx.from.id)) <= 0;
  if (budgetSpent) mode = 'extractive';
  const chat = ctx.chat;
  const stream =
    mode === 'llm'
      ? new AnswerStream({
          api: ctx.api,
          chatId: chat.id,
          isPrivate: chat.type === 'private',
          draftId: ctx.update.update_id % 2_000_000_000 || 1,
          replyTo: replyTarget(ctx),
          drafts: s.drafts,
          editIntervalMs: s.options.editIntervalMs,
          draftIntervalMs: s.options.draftIntervalMs,
          logger: s.logger,
        })
      : undefined;
  const stopTyping = typing(ctx, s);
  const onDelta = stream
    ? (text: string): void => {
        // the model's "nothing in the excerpts" marker is not for the user's eyes
        if (/NO_ANSWER/.test(text)) return;
        stopTyping();
        stream.update(text);
      }
    : undefined;
  // an offline follow-up brings sentences not quoted in the answer it follows
  const ask = (plan: Plan): Promise<Answer> =>
    s.answerer.answer(plan.question, {
      context: plan.context,
      onDelta,
      forceExtractive: mode === 'extractive',
      exclude: plan.context ? new Set(quotedBefore) : undefined,
    });
  const model = mode === 'llm' ? s.chat : undefined;

  try {
    let plan: Plan = { question, topic: question };
    let answer: Answer | undefined;
    const followUp = previous
      ? { text: question, turns: ctx.session.turns, previous, chat: model, retriever: s.retriever, logger: s.logger }
      : undefined;
    if (followUp && looksLikeFollowUp(question)) {
      const resolved = await planFollowUp(followUp);
      if (resolved) {
        plan = resolved;
        answer = await ask(plan);
      }
    }
    if (!answer) {
      answer = await ask(plan);
      // a short, vague question the essays do not cover on its own may lean on the previous topic
      if (followUp && !answer.grounded && question.length <= SHORT_QUESTION && unknownWords(s.retriever, question).length === 0) {
        const retry = await planFollowUp(followUp);
        const second = retry ? await ask(retry) : undefined;
        if (retry && second?.grounded) {
          plan = retry;
          answer = second;
        }
      }
    }
    stopTyping();
    if (answer.mode === 'llm' && answer.coverage !== 'none' && ctx.from !== undefined) await s.budget.spend(ctx.from.id);
    if (budgetSpent && answer.grounded) answer = { ...answer, notice: '今天的大模型回答次数已用完,以下是从文章中直接摘录的回答(摘录模式),明天恢复。' };
    const messages = renderAnswer(answer, { asked: view.asked, understood: plan.understood });
    if (stream) await stream.finish(messages);
    else await reply(ctx, messages, s.logger);
    ctx.session.turns = rememberTurn(ctx.session.turns, {
      q: question,
      topic: plan.topic,
      a: answerBrief(answer.answer),
      grounded: answer.grounded,
      at: now,
      quoted: [...(plan.context ? quotedBefore : []), ...(answer.quoted ?? [])].slice(-24),
    });
    ctx.log.info('bot.answered', {
      mode: answer.mode,
      grounded: answer.grounded,
      citations: answer.citations.length,
      followUp: plan.understood?.kind,
      streamed: stream?.pushes ?? 0,
      ms: answer.ms,
    });
  } catch (error) {
    await stream?.cancel();
    throw error;
  } finally {
    stopTyping();
  }
}

/** /ask and the example-question buttons: run before the features. */
export function askFeature(s: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('ask', (ctx) => answerQuestion(s, ctx, questionText(ctx, ctx.match)));
  composer.callbackQuery(verbs('ex'), async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const question = action?.kind === 'example' ? EXAMPLE_QUESTIONS[action.index] : undefined;
    if (!question) {
      await ack(ctx, s.logger, '这个按钮已失效。');
      return;
    }
    await ack(ctx, s.logger);
    await answerQuestion(s, ctx, question, { asked: question });
  });
  return composer;
}

/** a letter or digit of any script: there is something to read */
const WORDS = /[\p{L}\p{N}]/u;

/** Runs after the features: any other text is a question; other messages get a hint. */
export function catchAllFeature(s: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message:text', async (ctx) => {
    const command = ctx.entities('bot_command').find((e) => e.offset === 0);
    if (command) {
      await reply(ctx, renderText(`我不认识命令 ${command.text}。发送 /help 查看可用的命令,或直接用文字提问。`), s.logger);
      return;
    }
    // only emoji or punctuation ("😀😀😀", "???"): no words to answer, and not a follow-up either
    if (!WORDS.test(ctx.message.text)) {
      await reply(ctx, renderUnsupported('表情或符号', EXAMPLE_QUESTIONS[1]), s.logger);
      return;
    }
    // "你好", "谢谢", "好的": nothing to look up, and not "the essays do not cover this"
    const talk = smallTalkOf(questionText(ctx));
    if (talk) {
      await reply(ctx, renderSmallTalk(talk), s.logger);
      return;
    }
    await answerQuestion(s, ctx, questionText(ctx));
  });
  composer.on('message', async (ctx) => {
    const kind = mediaName(ctx.message);
    // service messages (members joining, pins …) need no answer
    if (kind === '这类消息' && ctx.chat.type !== 'private') return;
    await reply(ctx, renderUnsupported(kind, EXAMPLE_QUESTIONS[1]), s.logger);
  });
  composer.on('callback_query:data', (ctx) => ack(ctx, s.logger, '这个按钮已失效,请重新提问或发送 /start。'));
  return composer;
}
