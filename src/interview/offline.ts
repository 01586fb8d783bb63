// Scores an answer without any model: the same assessment the model examiner is held to.
import { stripInjections } from '../answer/injection.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { buildReview } from './review.ts';
import { assess, type TimeSettings } from './scorer.ts';
import type { InterviewQuestion, Review } from './types.ts';

export interface ScoringContext {
  retriever?: Retriever;
  /** the time allowed; 3 minutes when not given */
  time?: TimeSettings;
  typeSource?: Review['typeSource'];
}

/**
 * Cosine of the answer and the question with its points, in the local LSA space the thresholds were
 * calibrated in; undefined with any other embedder (a remote model's scale is different).
 */
export async function similarityOf(question: InterviewQuestion, answer: string, retriever: Retriever | undefined): Promise<number | undefined> {
  if (!retriever || !retriever.embedder.id.startsWith('local-lsa')) return undefined;
  try {
    const [a, q] = await Promise.all([
      retriever.embedder.embedQuery(answer),
      retriever.embedder.embedQuery(question.stem + question.keyPoints.map((p) => p.point).join('')),
    ]);
    let dot = 0;
    let na = 0;
    let nq = 0;
    for (let i = 0; i < a.length; i += 1) {
      dot += a[i] * q[i];
      na += a[i] * a[i];
      nq += q[i] * q[i];
    }
    return na === 0 || nq === 0 ? undefined : dot / Math.sqrt(na * nq);
  } catch {
    return undefined;
  }
}

export const INJECTION_NOTICE = '答案里有试图影响评分的指令性文字,已忽略,不计入评分。';

export async function scoreOffline(question: InterviewQuestion, rawAnswer: string, context: ScoringContext = {}, notices: string[] = []): Promise<Review> {
  const { text: answer, removed } = stripInjections(rawAnswer);
  const extra = removed.length > 0 ? [...notices, INJECTION_NOTICE] : notices;
  const similarity = await similarityOf(question, answer, context.retriever);
  const assessment = assess(question, answer, { time: context.time, similarity });
  return buildReview(question, assessment, { mode: 'offline', retriever: context.retriever, notices: extra, typeSource: context.typeSource });
}
