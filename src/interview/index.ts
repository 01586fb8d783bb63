// Public surface of the interview capability.
export { loadBank, loadModelAnswers, modelAnswerText, outlineText, parseBank } from './bank.ts';
export { loadCalibration, CALIBRATION_SPLITS, ANSWER_KINDS, type AnswerKind, type CalibrationAnswer } from './calibration.ts';
export { questionFromText, guessQuestionType, corePhrases } from './adhoc.ts';
export { detectQuestionType, TYPE_MOVES } from './question-type.ts';
export { scoreAnswer, parseVerdict, verifyQuotes, type ExaminerDeps } from './examiner.ts';
export { scoreFollowUp, FOLLOW_UP_SECONDS, type FollowUpResult } from './followup.ts';
export { scoreOffline, type ScoringContext } from './offline.ts';
export { rewriteAnswer, RewriteError, type Rewrite } from './rewrite.ts';
export { citationFor, passagesFor, modelAnswerWithSources } from './grounding.ts';
export { missesHeading } from './review.ts';
export { bandOf, BAND_FLOORS, contentLength, DIMENSIONS, CORE_ABILITY, MIN_ANSWER_CHARS, timingOf } from './scorer.ts';
export {
  drillStats,
  emptyHistory,
  nextReviewQuestion,
  recordAttempt,
  withoutAttempt,
  withoutLastAttempt,
  type Attempt,
  type DrillHistory,
  type DrillStats,
} from './progress.ts';
export * from './types.ts';

import type { Review } from './types.ts';

/** The JSON contract of `drill score --json`. */
export function reviewJson(review: Review): Record<string, unknown> {
  return {
    question: review.question,
    questionId: review.questionId,
    type: review.type,
    total: review.total,
    band: review.band,
    dimensions: review.dimensions.map((d) => ({ name: d.name, score: d.score, max: d.max })),
    hits: review.hits.map((h) => ({ point: h.point, evidence: h.evidence })),
    misses: review.misses.map((m) => ({
      point: m.point,
      citation: m.citation ? { chunkId: m.citation.chunkId, title: m.citation.title, quote: m.citation.quote } : null,
    })),
    feedback: review.feedback,
    typeSource: review.typeSource ?? null,
    timing: review.timing ?? null,
    moves: review.moves ?? [],
    cliches: review.cliches,
    followUp: review.followUp ?? null,
    mode: review.mode,
    notices: review.notices,
  };
}
