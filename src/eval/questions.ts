// The evaluation questions: one schema for every split's JSON Lines file.
import { readFileSync } from 'node:fs';
import * as v from 'valibot';

export const QUESTION_KINDS = [
  'plain',
  // a new user's first few words: "什么是社会治理?", "基层治理有哪些问题"
  'short',
  'colloquial',
  'preamble',
  'comparison',
  'typo',
  'traditional',
  'english',
  'uncovered',
  'offtopic',
  // the held-out probe of particular shapes (eval/probe.jsonl)
  'abbreviation',
  'abbreviation-missing',
  'figure-in',
  'figure-out',
  'preamble-number',
  'yesno',
  'siblings',
  'congress',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

const EvalQuestionSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.nonEmpty()),
    question: v.pipe(v.string(), v.nonEmpty()),
    evidence: v.array(v.string()),
    essays: v.array(v.string()),
    outOfScope: v.boolean(),
    kind: v.optional(v.picklist(QUESTION_KINDS)),
    form: v.optional(v.string()),
    /** the first set's wording label: essay (the essays' own words) or natural */
    style: v.optional(v.picklist(['essay', 'natural'])),
  }),
  // the first set predates kinds: its wording label stands in for one
  v.transform((q) => ({
    ...q,
    kind: q.kind ?? (q.outOfScope ? 'uncovered' : q.style === 'essay' ? 'plain' : 'colloquial'),
  })),
);

export type EvalQuestion = v.InferOutput<typeof EvalQuestionSchema>;

export function parseQuestions(text: string, source: string): EvalQuestion[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, n }) => {
      const result = v.safeParse(EvalQuestionSchema, JSON.parse(line));
      if (!result.success) throw new Error(`${source}:${n}: ${v.summarize(result.issues)}`);
      return result.output;
    });
}

export function loadQuestions(...paths: string[]): EvalQuestion[] {
  return paths.flatMap((path) => parseQuestions(readFileSync(path, 'utf8'), path));
}

/** The split we tune on, and the split written first and never tuned on. */
export const SPLITS = {
  dev: ['eval/questions.jsonl', 'eval/dev-extra.jsonl', 'eval/dev2.jsonl', 'eval/dev3.jsonl', 'eval/dev4.jsonl', 'eval/dev5.jsonl', 'eval/dev6.jsonl', 'eval/dev7.jsonl', 'eval/dev8.jsonl', 'eval/dev9.jsonl', 'eval/dev10.jsonl', 'eval/dev11.jsonl', 'eval/dev12.jsonl', 'eval/dev13.jsonl', 'eval/dev14.jsonl', 'eval/dev15.jsonl', 'eval/dev16.jsonl', 'eval/dev17.jsonl', 'eval/dev18.jsonl', 'eval/dev20.jsonl', 'eval/dev21.jsonl', 'eval/dev22.jsonl', 'eval/dev23.jsonl', 'eval/dev24.jsonl', 'eval/dev25.jsonl', 'eval/dev26.jsonl'],
  test: ['eval/test.jsonl', 'eval/test2.jsonl', 'eval/test3.jsonl', 'eval/test4.jsonl', 'eval/test5.jsonl', 'eval/test6.jsonl', 'eval/test7.jsonl', 'eval/test8.jsonl', 'eval/test9.jsonl', 'eval/test10.jsonl', 'eval/test11.jsonl', 'eval/test12.jsonl'],
} as const;
export type SplitName = keyof typeof SPLITS;
