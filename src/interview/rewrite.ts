// "改写你的回答" (model mode only): the candidate's own answer rewritten better, with what changed.
// The model's JSON is checked here; anything off is reported, never shown half-made.
import * as v from 'valibot';
import type { ChatModel } from '../answer/llm.ts';
import { loadPrompt, renderPrompt } from '../answer/prompts.ts';
import { contentLength } from './answer-analysis.ts';
import type { InterviewQuestion, Review } from './types.ts';

export class RewriteError extends Error {}

const RewriteSchema = v.object({
  rewritten: v.pipe(v.string(), v.trim(), v.nonEmpty()),
  changes: v.pipe(v.array(v.pipe(v.string(), v.trim(), v.nonEmpty())), v.minLength(1), v.maxLength(6)),
});

export type Rewrite = v.InferOutput<typeof RewriteSchema>;

export async function rewriteAnswer(
  question: Pick<InterviewQuestion, 'type' | 'stem'>,
  answer: string,
  review: Pick<Review, 'hits' | 'misses' | 'feedback'>,
  chat: ChatModel,
): Promise<Rewrite> {
  const list = (items: string[]): string => (items.length > 0 ? items.map((item) => `- ${item}`).join('\n') : '(无)');
  const raw = await chat.complete(
    [
      { role: 'system', content: loadPrompt('rewrite-answer-system') },
      {
        role: 'user',
        content: renderPrompt(loadPrompt('rewrite-answer-user'), {
          type: question.type,
          stem: question.stem,
          hits: list(review.hits.map((h) => h.point)),
          misses: list(review.misses.map((m) => m.point)),
          feedback: list(review.feedback),
          answer,
        }),
      },
    ],
    { temperature: 0.3, json: true },
  );
  let data: unknown;
  try {
    data = JSON.parse(raw.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new RewriteError('not JSON');
  }
  const parsed = v.safeParse(RewriteSchema, data);
  if (!parsed.success) throw new RewriteError(parsed.issues[0].message);
  // a rewrite is a spoken 3-minute answer, not a note or an outline
  const length = contentLength(parsed.output.rewritten);
  if (length < 200 || length > 1200) throw new RewriteError(`rewrite of ${length} characters`);
  return parsed.output;
}
