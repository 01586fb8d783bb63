// Retrieval and answer evaluation, per split and per kind of question, system vs the bigram baseline.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Answerer } from '../answer/answerer.ts';
import type { Answer } from '../answer/types.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { BigramBaseline } from './baseline.ts';
import type { EvalQuestion } from './questions.ts';

export interface Figures {
  inScope: number;
  outOfScope: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  /** in-scope answers whose text contains an evidence phrase */
  answerHasEvidence: number;
  /** in-scope answers whose cited excerpts contain an evidence phrase */
  citationsHaveEvidence: number;
  /** in-scope questions answered with "not covered" (a count) */
  falseRefusals: number;
  /** in-scope questions answered as partly covered (a count) */
  partial: number;
  /** out-of-scope questions refused / all out-of-scope questions */
  outOfScopeRefused: number;
}

export interface KindReport {
  kind: string;
  system: Figures;
  baseline: Figures;
}

export interface SplitReport {
  split: string;
  questions: number;
  overall: KindReport;
  kinds: KindReport[];
  /** in-scope questions whose evidence the system did not rank in the top 5 */
  misses: Array<{ id: string; kind: string; question: string }>;
  falseRefusalIds: string[];
  acceptedOutOfScope: string[];
  /** quotes that are not a verbatim slice of their essay (must be none) */
  unfaithfulQuotes: string[];
}

export function containsEvidence(text: string, evidence: string[]): boolean {
  const haystack = normalizeForMatch(text);
  return evidence.some((phrase) => haystack.includes(normalizeForMatch(phrase)));
}

function firstRelevantRank(texts: string[], evidence: string[]): number {
  const index = texts.findIndex((text) => containsEvidence(text, evidence));
  return index < 0 ? Infinity : index + 1;
}

interface Outcome {
  question: EvalQuestion;
  rank: number;
  answerHasEvidence: boolean;
  citationsHaveEvidence: boolean;
  refused: boolean;
  partial: boolean;
}

function figuresOf(outcomes: Outcome[]): Figures {
  const inScope = outcomes.filter((o) => !o.question.outOfScope);
  const outOfScope = outcomes.filter((o) => o.question.outOfScope);
  const share = (items: Outcome[], test: (o: Outcome) => boolean): number => (items.length === 0 ? 0 : items.filter(test).length / items.length);
  return {
    inScope: inScope.length,
    outOfScope: outOfScope.length,
    recallAt1: share(inScope, (o) => o.rank <= 1),
    recallAt5: share(inScope, (o) => o.rank <= 5),
    mrr: inScope.length === 0 ? 0 : inScope.reduce((sum, o) => sum + (o.rank === Infinity ? 0 : 1 / o.rank), 0) / inScope.length,
    answerHasEvidence: share(inScope, (o) => o.answerHasEvidence),
    citationsHaveEvidence: share(inScope, (o) => o.citationsHaveEvidence),
    falseRefusals: inScope.filter((o) => o.refused).length,
    partial: inScope.filter((o) => o.partial).length,
    outOfScopeRefused: share(outOfScope, (o) => o.refused),
  };
}

function isRefusal(answer: Answer): boolean {
  return answer.coverage === 'none' && answer.citations.length === 0;
}

export async function evaluateSplit(
  split: string,
  questions: EvalQuestion[],
  retriever: Retriever,
  answerer: Answerer,
  baseline?: BigramBaseline,
): Promise<SplitReport> {
  const base = baseline ?? (await BigramBaseline.build(retriever.essays));
  const system: Outcome[] = [];
  const reference: Outcome[] = [];
  const unfaithfulQuotes: string[] = [];
  for (const question of questions) {
    const result = await retriever.search(question.question, { k: 10, ignoreFloor: true });
    const answer = await answerer.answer(question.question);
    for (const citation of answer.citations) {
      if (!retriever.essay(citation.essayId)?.text.includes(citation.quote)) unfaithfulQuotes.push(`${question.id} [${citation.n}]`);
    }
    system.push({
      question,
      rank: firstRelevantRank(
        result.hits.map((hit) => hit.chunk.text),
        question.evidence,
      ),
      answerHasEvidence: containsEvidence(answer.answer, question.evidence),
      citationsHaveEvidence: answer.citations.some((c) => containsEvidence(c.quote, question.evidence)),
      refused: isRefusal(answer),
      partial: answer.coverage === 'partial',
    });
    const windows = base.search(question.question, 10);
    const top = windows[0] !== undefined && containsEvidence(windows[0], question.evidence);
    // the baseline answers every question with its top chunk and cites it
    reference.push({ question, rank: firstRelevantRank(windows, question.evidence), answerHasEvidence: top, citationsHaveEvidence: top, refused: false, partial: false });
  }
  const kinds = [...new Set(questions.map((q) => q.kind))];
  return {
    split,
    questions: questions.length,
    overall: { kind: 'all', system: figuresOf(system), baseline: figuresOf(reference) },
    kinds: kinds.map((kind) => ({
      kind,
      system: figuresOf(system.filter((o) => o.question.kind === kind)),
      baseline: figuresOf(reference.filter((o) => o.question.kind === kind)),
    })),
    misses: system
      .filter((o) => !o.question.outOfScope && o.rank > 5)
      .map((o) => ({ id: o.question.id, kind: o.question.kind, question: o.question.question })),
    falseRefusalIds: system.filter((o) => !o.question.outOfScope && o.refused).map((o) => o.question.id),
    acceptedOutOfScope: system.filter((o) => o.question.outOfScope && !o.refused).map((o) => o.question.id),
    unfaithfulQuotes,
  };
}

/**
 * The targets for the held-out split: beat the baseline overall and for every kind, refuse
 * little that is answerable, refuse most of what is not. `npm run eval` reports each one missed.
 */
export const TEST_GATES = {
  maxFalseRefusalShare: 0.02,
  minOutOfScopeRefused: 0.9,
  minAnswerHasEvidence: 0.85,
};

export function gateFailures(report: SplitReport): string[] {
  const failures: string[] = [];
  const { system, baseline } = report.overall;
  if (system.recallAt1 <= baseline.recallAt1) failures.push(`R@1 ${system.recallAt1.toFixed(3)} ≤ baseline ${baseline.recallAt1.toFixed(3)}`);
  if (system.mrr <= baseline.mrr) failures.push(`MRR ${system.mrr.toFixed(3)} ≤ baseline ${baseline.mrr.toFixed(3)}`);
  for (const { kind, system: s, baseline: b } of report.kinds) {
    if (s.inScope === 0) continue;
    if (s.recallAt1 < b.recallAt1) failures.push(`${kind}: R@1 ${s.recallAt1.toFixed(3)} < baseline ${b.recallAt1.toFixed(3)}`);
    if (s.mrr < b.mrr) failures.push(`${kind}: MRR ${s.mrr.toFixed(3)} < baseline ${b.mrr.toFixed(3)}`);
  }
  if (system.falseRefusals > TEST_GATES.maxFalseRefusalShare * system.inScope) {
    failures.push(`false refusals ${system.falseRefusals} > ${(TEST_GATES.maxFalseRefusalShare * 100).toFixed(0)}% of ${system.inScope}`);
  }
  if (system.outOfScope > 0 && system.outOfScopeRefused < TEST_GATES.minOutOfScopeRefused) {
    failures.push(`out-of-scope refused ${system.outOfScopeRefused.toFixed(3)} < ${TEST_GATES.minOutOfScopeRefused}`);
  }
  if (system.answerHasEvidence < TEST_GATES.minAnswerHasEvidence) {
    failures.push(`answer has evidence ${system.answerHasEvidence.toFixed(3)} < ${TEST_GATES.minAnswerHasEvidence}`);
  }
  if (report.unfaithfulQuotes.length > 0) failures.push(`quotes not verbatim: ${report.unfaithfulQuotes.join(', ')}`);
  return failures;
}

/**
 * What CI holds the held-out split to while the targets above are not all met: floors set below
 * the figures measured when they were written (with a margin, so noise does not fail CI), so
 * that a change that makes the product worse on unseen questions fails. Not the targets.
 */
export const REGRESSION_FLOORS = {
  // measured on test + test2 + test3 (284 in scope, 133 out of scope): 16 false refusals (5.6%), 74% refused, 75% with evidence
  // (test4, added later and measured once before it joined: 1/73 false refusals, 82% refused, 74% with evidence)
  maxFalseRefusalShare: 0.1,
  minOutOfScopeRefused: 0.68,
  minAnswerHasEvidence: 0.68,
  /** kinds where the system must stay ahead of the baseline on R@1 (typo is level with it) */
  aheadOnRecallAt1: ['traditional', 'english', 'colloquial', 'preamble', 'comparison'],
};

export function regressionFailures(report: SplitReport): string[] {
  const failures: string[] = [];
  const { system, baseline } = report.overall;
  if (system.mrr <= baseline.mrr) failures.push(`MRR ${system.mrr.toFixed(3)} ≤ baseline ${baseline.mrr.toFixed(3)}`);
  if (system.recallAt5 <= baseline.recallAt5) failures.push(`R@5 ${system.recallAt5.toFixed(3)} ≤ baseline ${baseline.recallAt5.toFixed(3)}`);
  for (const kind of REGRESSION_FLOORS.aheadOnRecallAt1) {
    const k = report.kinds.find((r) => r.kind === kind);
    if (k && k.system.recallAt1 <= k.baseline.recallAt1) failures.push(`${kind}: R@1 ${k.system.recallAt1.toFixed(3)} ≤ baseline ${k.baseline.recallAt1.toFixed(3)}`);
  }
  if (system.falseRefusals > REGRESSION_FLOORS.maxFalseRefusalShare * system.inScope) failures.push(`false refusals ${system.falseRefusals}/${system.inScope}`);
  if (system.outOfScopeRefused < REGRESSION_FLOORS.minOutOfScopeRefused) failures.push(`out-of-scope refused ${system.outOfScopeRefused.toFixed(3)}`);
  if (system.answerHasEvidence < REGRESSION_FLOORS.minAnswerHasEvidence) failures.push(`answer has evidence ${system.answerHasEvidence.toFixed(3)}`);
  if (report.unfaithfulQuotes.length > 0) failures.push(`quotes not verbatim: ${report.unfaithfulQuotes.join(', ')}`);
  return failures;
}
