// One scored answer as the drill keeps it until the drill is over (mock reviews come at the end)
// and as the review's details and 「改写你的回答」 read it back: the review without its long
// texts, how the answer was delivered, and the 追问's outcome.
import type { PointStatus, Review } from './types.ts';
import { OWN_QUESTION_ID } from './types.ts';

/** How the answer was delivered, for the length line of the review. */
export type Delivery =
  | { kind: 'text'; chars: number; overtimeSeconds?: number }
  | { kind: 'voice'; chars: number; seconds: number; fillers?: number };

export interface FollowUpOutcome {
  question: string;
  /** false when the user skipped it */
  answered: boolean;
  covered: Array<{ point: string; evidence: string; status: 'hit' | 'partial' }>;
  remaining: string[];
  mode?: Review['mode'];
}

/** The review as the session and the practice record keep it: without the parts that are looked up again (points, model answer and its sources). */
export type StoredReview = Omit<Review, 'points' | 'modelAnswer' | 'modelAnswerSources'>;

/** What an attempt keeps for /history and /export: the answer verbatim and its review. */
export interface AttemptDetail {
  review: StoredReview;
  answer: string;
  delivery: Delivery;
  /** the 追问 and how it went, once answered or skipped */
  followUp?: FollowUpOutcome;
  /** a question of the candidate's own has no bank entry: its model answer (the outline) is kept */
  modelAnswer?: string;
}

/**
 * A review the session keeps for its buttons (details, 改写) and, in a mock, until the end: the
 * same shape as an attempt's detail, with the id its buttons find it by.
 */
export type ReviewRecord = Omit<AttemptDetail, 'answer'> & {
  /** when it was scored (base-36 ms) */
  id?: string;
  /** the answer as the candidate gave it (for 「改写你的回答」); missing in older sessions */
  answer?: string;
};

/** The record of a review scored at `now`; the key points and model answer are looked up again when shown. */
export function reviewRecordOf(review: Review, delivery: Delivery, answer: string, now: number): ReviewRecord {
  return { id: now.toString(36), ...attemptDetailOf(review, answer, delivery) };
}

/** Citation quotes are clipped: the passage is found again from its chunk id when shown in full. */
const STORED_QUOTE_CHARS = 160;

export function attemptDetailOf(review: Review, answer: string, delivery: Delivery): AttemptDetail {
  const { points: _points, modelAnswer, modelAnswerSources: _sources, ...kept } = review;
  const misses = kept.misses.map((m) => (m.citation ? { ...m, citation: { ...m.citation, quote: m.citation.quote.slice(0, STORED_QUOTE_CHARS) } } : m));
  const own = review.questionId === undefined || review.questionId === OWN_QUESTION_ID;
  return { review: { ...kept, misses }, answer, delivery, ...(own && modelAnswer ? { modelAnswer } : {}) };
}

// ---- the words every surface shows for these (bot HTML, terminal text, the practice PDF) --------

/** "✓ 要点" for a point made, "◐ 要点(部分答到)" for one half made. */
export function hitLabel(hit: { point: string; status: PointStatus }): string {
  return hit.status === 'partial' ? `◐ ${hit.point}(部分答到)` : `✓ ${hit.point}`;
}

/** One part of the answer the question type calls for (组织管理: 摸底准备 …), made or not. */
export function moveLabel(move: { point: string; made: boolean }): string {
  return `${move.made ? '✓' : '✗'} ${move.point}`;
}

export const FOLLOW_UP_SCORE_NOTE = '追问的回答只用于查漏补缺,不改变本题得分。';

/**
 * What the answer to the 追问 made up for (with the candidate's words, when `quote` renders
 * them) and what is still missing; one entry per point.
 */
export function followUpLines(outcome: Pick<FollowUpOutcome, 'covered' | 'remaining'>, quote?: (evidence: string) => string): string[] {
  const lines = [
    ...outcome.covered.map((c) => `${c.status === 'hit' ? '✓ 补上了' : '◐ 部分补上'}:${c.point}${quote ? quote(c.evidence) : ''}`),
    ...outcome.remaining.map((r) => `✗ 仍未谈到:${r}`),
  ];
  return lines.length > 0 ? lines : ['追问的回答没有对应到遗漏的要点。'];
}
