// Public surface of the interview capability.
export { loadBank, loadCalibration, modelAnswerText, parseBank, type CalibrationAnswer } from './bank.ts';
export { questionFromText, guessQuestionType } from './adhoc.ts';
export { scoreAnswer, parseVerdict, verifyQuotes } from './examiner.ts';
export { scoreOffline, bandOf, contentLength, DIMENSIONS, CORE_ABILITY, MIN_ANSWER_CHARS } from './scorer.ts';
export {
  drillStats,
  emptyHistory,
  nextReviewQuestion,
  recordAttempt,
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
    followUp: review.followUp ?? null,
    mode: review.mode,
    notices: review.notices,
  };
}
