// The practice record as a candidate looks back at it: past attempts page by page, one attempt
// reopened (answer, review, model answer), and the points missed again and again (常漏要点).
// Pure functions over the stored history; the bot and the export render them.
import type { Attempt, DrillHistory } from './progress.ts';
import type { AttemptDetail, FollowUpOutcome, ReviewRecord } from './review-record.ts';
import type { InterviewQuestion, KeyPoint, QuestionType } from './types.ts';
import { OWN_QUESTION_ID } from './types.ts';

export const HISTORY_PAGE_SIZE = 8;

/** An attempt's short id in buttons: its time in base-36 milliseconds. */
export function attemptId(at: string): string {
  return new Date(at).getTime().toString(36);
}

export function findAttempt(history: DrillHistory, id: string): Attempt | undefined {
  return history.attempts.find((a) => attemptId(a.at) === id);
}

/** The question as it was asked: from the bank, or kept with the attempt (the candidate's own). */
export function questionOfAttempt(attempt: Attempt, byId: ReadonlyMap<string, InterviewQuestion>): string {
  const fromBank = attempt.questionId ? byId.get(attempt.questionId)?.stem : undefined;
  return fromBank ?? attempt.detail?.review.question ?? '(题目未保存)';
}

/**
 * The history with each attempt's answer and review, from the practice record (attempt time →
 * detail). A detail already in the history (an older session) wins.
 */
export function withDetails(history: DrillHistory, details: ReadonlyMap<string, AttemptDetail>): DrillHistory {
  const attempts = history.attempts.map((a) => {
    const detail = a.detail ?? details.get(a.at);
    return detail ? { ...a, detail } : a;
  });
  return { ...history, attempts };
}

/** The history in its two stored parts: the scores (the session) and the answers and reviews (the practice record). */
export function splitDetails(history: DrillHistory): { scores: DrillHistory; details: Array<{ at: string; detail: AttemptDetail }> } {
  const details: Array<{ at: string; detail: AttemptDetail }> = [];
  const attempts = history.attempts.map(({ detail, ...scores }) => {
    if (detail) details.push({ at: scores.at, detail });
    return scores;
  });
  return { scores: { ...history, attempts }, details };
}

export interface HistoryPage {
  /** newest first */
  attempts: Array<{ id: string; attempt: Attempt; question: string }>;
  /** 0-based, clamped to the pages there are */
  page: number;
  pages: number;
  total: number;
}

export function historyPage(history: DrillHistory, byId: ReadonlyMap<string, InterviewQuestion>, page: number, size = HISTORY_PAGE_SIZE): HistoryPage {
  const newest = [...history.attempts].reverse();
  const pages = Math.max(1, Math.ceil(newest.length / size));
  const current = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const attempts = newest.slice(current * size, (current + 1) * size).map((attempt) => ({ id: attemptId(attempt.at), attempt, question: questionOfAttempt(attempt, byId) }));
  return { attempts, page: current, pages, total: newest.length };
}

/** The attempt's review as the review views take it, or undefined when only its scores were kept. */
export function reviewRecordOfAttempt(attempt: Attempt): ReviewRecord | undefined {
  const detail = attempt.detail;
  if (!detail) return undefined;
  return { id: attemptId(attempt.at), ...detail };
}

/** The history with the 追问's outcome added to the latest attempt (when it is of that question and kept its detail). */
export function withFollowUpOutcome(history: DrillHistory, questionId: string | undefined, outcome: FollowUpOutcome): DrillHistory {
  const last = history.attempts[history.attempts.length - 1];
  if (!last?.detail || last.questionId !== questionId) return history;
  return { ...history, attempts: [...history.attempts.slice(0, -1), { ...last, detail: { ...last.detail, followUp: outcome } }] };
}

export interface OftenMissedPoint {
  point: KeyPoint;
  question: InterviewQuestion;
  /** attempts of this question that missed it */
  missed: number;
  /** attempts of this question */
  attempts: number;
}

export interface OftenMissedMove {
  type: QuestionType;
  move: string;
  missed: number;
  /** attempts of this type whose review listed the moves */
  attempts: number;
}

/** Missed this many times or more counts as "often". */
export const OFTEN_MISSED_TIMES = 2;

/**
 * Key points of bank questions missed in two attempts or more, and the type's moves (审题、对策、
 * 总结…) left out in two attempts or more of that type: the most missed first.
 */
export function oftenMissed(history: DrillHistory, byId: ReadonlyMap<string, InterviewQuestion>, minTimes = OFTEN_MISSED_TIMES): { points: OftenMissedPoint[]; moves: OftenMissedMove[] } {
  const missedCount = new Map<string, number>();
  const attemptsOf = new Map<string, number>();
  const moveCount = new Map<string, { type: QuestionType; move: string; missed: number }>();
  const movesSeen = new Map<QuestionType, number>();
  for (const attempt of history.attempts) {
    if (attempt.questionId && attempt.questionId !== OWN_QUESTION_ID) {
      attemptsOf.set(attempt.questionId, (attemptsOf.get(attempt.questionId) ?? 0) + 1);
      for (const id of new Set(attempt.missed)) missedCount.set(id, (missedCount.get(id) ?? 0) + 1);
    }
    const moves = attempt.detail?.review.moves;
    if (!moves || moves.length === 0) continue;
    movesSeen.set(attempt.type, (movesSeen.get(attempt.type) ?? 0) + 1);
    for (const move of moves) {
      if (move.made) continue;
      const key = `${attempt.type}\u0000${move.point}`;
      const entry = moveCount.get(key) ?? { type: attempt.type, move: move.point, missed: 0 };
      entry.missed += 1;
      moveCount.set(key, entry);
    }
  }
  const points: OftenMissedPoint[] = [];
  for (const [pointId, missed] of missedCount) {
    if (missed < minTimes) continue;
    const questionId = pointId.replace(/-\d+$/, '');
    const question = byId.get(questionId);
    const point = question?.keyPoints.find((k) => k.id === pointId);
    if (question && point) points.push({ point, question, missed, attempts: attemptsOf.get(questionId) ?? missed });
  }
  points.sort((a, b) => b.missed - a.missed || b.point.weight - a.point.weight);
  const moves = [...moveCount.values()]
    .filter((m) => m.missed >= minTimes)
    .map((m) => ({ ...m, attempts: movesSeen.get(m.type) ?? m.missed }))
    .sort((a, b) => b.missed - a.missed);
  return { points, moves };
}
