// The 追问 answered: scored against the points the main answer missed (all of them when it
// missed none), in about a minute, by the same examiner; for a question of the candidate's own,
// whose 追问 probes a step of its type, against that step. It fills gaps; it never changes the score.
import { analyzeAnswer } from './answer-analysis.ts';
import { scoreAnswer, type ExaminerDeps } from './examiner.ts';
import { movesMade } from './question-type.ts';
import { stepProbedBy } from './review.ts';
import type { InterviewQuestion, Review, ScoringMode } from './types.ts';

export const FOLLOW_UP_SECONDS = 60;

export interface FollowUpResult {
  covered: Array<{ point: string; evidence: string; status: 'hit' | 'partial' }>;
  /** the targeted points still not made */
  remaining: string[];
  mode: ScoringMode;
}

export async function scoreFollowUp(
  question: InterviewQuestion,
  missedPointIds: readonly string[],
  followUp: string,
  reply: string,
  deps: ExaminerDeps,
): Promise<FollowUpResult> {
  // "刚才的回答没有讲到“分析原因和根源”。如果考官追问这一步……" (review.ts): the step asked about
  const step = stepProbedBy(question, followUp);
  if (step) {
    const made = movesMade(question.type, analyzeAnswer(reply, question.stem).sentences).find((m) => m.move.id === step.id);
    return made?.sentence
      ? { covered: [{ point: step.point, evidence: made.sentence, status: made.depth === 1 ? 'hit' : 'partial' }], remaining: [], mode: 'offline' }
      : { covered: [], remaining: [step.point], mode: 'offline' };
  }
  const missed = new Set(missedPointIds);
  const targets = question.keyPoints.filter((p) => missed.has(p.id));
  const points = targets.length > 0 ? targets : question.keyPoints;
  const probe: InterviewQuestion = { ...question, stem: `${question.stem}\n追问:${followUp}`, keyPoints: points };
  const review: Review = await scoreAnswer(probe, reply, { ...deps, time: { limitSeconds: FOLLOW_UP_SECONDS } });
  const covered = review.hits.map((h) => ({ point: h.point, evidence: h.evidence, status: h.status === 'hit' ? ('hit' as const) : ('partial' as const) }));
  const done = new Set(covered.map((c) => c.point));
  return { covered, remaining: points.filter((p) => !done.has(p.point)).map((p) => p.point), mode: review.mode };
}
