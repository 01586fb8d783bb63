// The 追问 answered: scored against the points the main answer missed (all of them when it
// missed none), in about a minute, by the same examiner. It fills gaps; it never changes the score.
import { scoreAnswer, type ExaminerDeps } from './examiner.ts';
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
  const missed = new Set(missedPointIds);
  const targets = question.keyPoints.filter((p) => missed.has(p.id));
  const points = targets.length > 0 ? targets : question.keyPoints;
  const probe: InterviewQuestion = { ...question, stem: `${question.stem}\n追问:${followUp}`, keyPoints: points };
  const review: Review = await scoreAnswer(probe, reply, { ...deps, time: { limitSeconds: FOLLOW_UP_SECONDS } });
  const covered = review.hits.map((h) => ({ point: h.point, evidence: h.evidence, status: h.status === 'hit' ? ('hit' as const) : ('partial' as const) }));
  const done = new Set(covered.map((c) => c.point));
  return { covered, remaining: points.filter((p) => !done.has(p.point)).map((p) => p.point), mode: review.mode };
}
