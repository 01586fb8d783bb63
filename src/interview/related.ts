// A drill on the topic of a question the essays do not cover: the bank question sharing the most
// (idf-weighted) words with it, when it shares enough to be about the same thing.
import type { RelatedDrill } from '../answer/answerer.ts';
import { indexTerms, isBigramTerm } from '../retrieval/tokenize.ts';
import type { InterviewQuestion } from './types.ts';

const MIN_SHARED_WORDS = 2;

function indexBank(bank: InterviewQuestion[]) {
  const docs = bank.map((q) => ({ q, words: new Set(indexTerms(`${q.topic}\n${q.stem}`).filter((t) => !isBigramTerm(t))) }));
  const df = new Map<string, number>();
  for (const { words } of docs) for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
  return { docs, idf: (w: string): number => Math.log(1 + docs.length / (df.get(w) ?? docs.length)) };
}

/** Indexes the bank on first use: only questions the essays do not cover need it. */
export function relatedDrillFinder(bank: InterviewQuestion[]): (question: string) => RelatedDrill | undefined {
  let index: ReturnType<typeof indexBank> | undefined;
  return (question) => {
    const { docs, idf } = (index ??= indexBank(bank));
    const asked = new Set(indexTerms(question).filter((t) => !isBigramTerm(t)));
    let best: { q: InterviewQuestion; score: number; shared: number } | undefined;
    for (const { q, words } of docs) {
      const shared = [...asked].filter((w) => words.has(w));
      const score = shared.reduce((sum, w) => sum + idf(w), 0);
      if (shared.length >= MIN_SHARED_WORDS && (!best || score > best.score)) best = { q, score, shared: shared.length };
    }
    return best ? { id: best.q.id, topic: best.q.topic } : undefined;
  };
}
