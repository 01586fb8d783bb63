// /history: the practice record (错题本). The list pages in place; an attempt reopens with its
// review, its answer and details one tap away; an attempt can be deleted after a confirmation;
// 常漏要点 collects the points missed again and again, with their excerpts.
import { Composer } from 'grammy';
import { citationFor, loadBank, withoutAttempt, type DrillHistory, type InterviewQuestion } from '../../interview/index.ts';
import { findAttempt, historyPage, oftenMissed, questionOfAttempt, reviewRecordOfAttempt } from '../../interview/history.ts';
import type { Logger } from '../../log.ts';
import type { Retriever } from '../../retrieval/retriever.ts';
import type { BotContext } from '../context.ts';
import { renderText, type OutMessage } from '../render.ts';
import { renderReview, renderReviewDetails } from '../render-review.ts';
import {
  attemptKeyboard,
  decodeHistory,
  renderAttemptAnswer,
  renderDeleteAttemptConfirm,
  renderHistoryPage,
  renderNoAttempts,
  renderOftenMissed,
  renderOwnOutline,
  renderScoresOnly,
  type HistoryAction,
} from '../render-history.ts';
import { ack, reply, showInPlace } from '../send.ts';
import type { BotFeature } from '../types.ts';

export interface HistoryFeatureDeps {
  retriever: Retriever;
  logger: Logger;
  /** default: interview/questions.yaml */
  bank?: InterviewQuestion[];
  /** the answer time the reviews were given against (the drill's setting) */
  answerSeconds?: number;
}

export const HISTORY_COMMANDS = [{ command: 'history', description: '练习记录与常漏要点(错题本)' }];

export function historyFeature(deps: HistoryFeatureDeps): BotFeature {
  const bank = deps.bank ?? loadBank();
  const byId = new Map(bank.map((q) => [q.id, q]));
  const log = deps.logger;
  const answerSeconds = deps.answerSeconds ?? 180;
  // the answers and reviews too: from the practice record
  const historyOf = (ctx: BotContext): Promise<DrillHistory> => ctx.practice.load();
  const say = async (ctx: BotContext, messages: OutMessage[]): Promise<void> => void (await reply(ctx, messages, log));

  const listView = async (ctx: BotContext, page: number): Promise<OutMessage[]> => {
    const history = await historyOf(ctx);
    return history.attempts.length === 0 ? renderNoAttempts() : renderHistoryPage(historyPage(history, byId, page));
  };

  async function onAction(ctx: BotContext, action: HistoryAction): Promise<void> {
    if (action.kind === 'page') {
      await ack(ctx, log);
      await showInPlace(ctx, await listView(ctx, action.page), log);
      return;
    }
    const history = await historyOf(ctx);
    if (action.kind === 'missed') {
      await ack(ctx, log);
      const found = oftenMissed(history, byId);
      const points = found.points.map((p) => ({ ...p, citation: citationFor(p.point, deps.retriever, { excerpt: true }) }));
      await say(ctx, renderOftenMissed({ points, moves: found.moves }));
      return;
    }
    const attempt = findAttempt(history, action.id);
    if (!attempt) {
      await ack(ctx, log, action.kind === 'delete' && action.confirmed ? '这条记录已经删除了。' : '这条练习记录已经不在了。', true);
      return;
    }
    await ack(ctx, log);
    const question = questionOfAttempt(attempt, byId);
    const record = reviewRecordOfAttempt(attempt);
    switch (action.kind) {
      case 'open': {
        const messages = record
          ? renderReview(record, { heading: `🗂 ${attempt.at.slice(0, 10)} · ${attempt.type} · ${question.slice(0, 24)}`, answerSeconds, buttons: false })
          : renderScoresOnly(attempt, question);
        const keyboard = attemptKeyboard(action.id, attempt);
        await say(ctx, messages.map((m, i) => (i === messages.length - 1 ? { ...m, keyboard } : m)));
        return;
      }
      case 'answer':
        if (attempt.detail) await say(ctx, renderAttemptAnswer(attempt, question, attempt.detail.answer));
        return;
      case 'details':
        if (record) await say(ctx, renderReviewDetails(record, { heading: '', answerSeconds, buttons: true }));
        return;
      case 'model':
        if (attempt.detail?.modelAnswer) await say(ctx, renderOwnOutline(question, attempt.detail.modelAnswer));
        return;
      case 'delete': {
        if (!action.confirmed) {
          await say(ctx, renderDeleteAttemptConfirm(action.id, attempt, question));
          return;
        }
        await ctx.practice.save(withoutAttempt(history, attempt.at).history);
        ctx.log.info('history.attempt_deleted');
        await say(ctx, renderText(`已删除 ${attempt.at.slice(0, 10)} 的这次练习(${attempt.type},${attempt.total} 分)。发送 /history 查看剩下的记录。`));
        return;
      }
    }
  }

  const composer = new Composer<BotContext>();
  composer.command('history', async (ctx) => say(ctx, await listView(ctx, 0)));
  composer.callbackQuery(/^h:/, async (ctx) => {
    const action = decodeHistory(ctx.callbackQuery.data);
    if (!action) {
      await ack(ctx, log, '这个按钮已失效。');
      return;
    }
    await onAction(ctx, action);
  });
  return { name: 'history', commands: HISTORY_COMMANDS, composer };
}
