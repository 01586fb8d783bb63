// Retrieval and answer evaluation against eval/questions.jsonl, with a plain BM25 baseline.
import { readFileSync } from 'node:fs';
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Essay } from '../knowledge/types.ts';
import type { Answerer } from '../answer/answerer.ts';
import { Bm25Index } from '../retrieval/bm25.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { indexTerms } from '../retrieval/tokenize.ts';

export interface EvalQuestion {
  id: string;
  question: string;
  evidence: string[];
  essays: string[];
  style: 'essay' | 'natural';
  outOfScope: boolean;
}

export interface EvalFigures {
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  /** answers whose text contains an evidence phrase (in-scope questions) */
  answerHasEvidence: number;
  /** answers whose cited excerpts contain an evidence phrase */
  citationsHaveEvidence: number;
  /** out-of-scope questions refused / all out-of-scope questions */
  outOfScopeRefused: number;
  /** in-scope questions refused (a count) */
  falseRefusals: number;
}

export interface EvalReport {
  questions: number;
  inScope: number;
  outOfScope: number;
  natural: number;
  system: EvalFigures;
  baseline: EvalFigures;
  /** in-scope questions the system missed at rank 5, for inspection */
  misses: Array<{ id: string; question: string; topChunk?: string }>;
  falseRefusalIds: string[];
  acceptedOutOfScope: string[];
}

export const TARGETS = { recallAt5: 0.98, mrr: 0.95, maxFalseRefusals: 1 };

export function loadQuestions(path: string): EvalQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvalQuestion);
}

export function containsEvidence(text: string, evidence: string[]): boolean {
  const haystack = normalizeForMatch(text);
  return evidence.some((phrase) => haystack.includes(normalizeForMatch(phrase)));
}

function firstRelevantRank(texts: string[], evidence: string[]): number {
  const index = texts.findIndex((text) => containsEvidence(text, evidence));
  return index < 0 ? Infinity : index + 1;
}

/** The baseline: BM25 over fixed 500-character windows, top result as the answer, never refuses. */
export class FixedWindowBaseline {
  private readonly windows: string[];
  private readonly index: Bm25Index;

  constructor(essays: Essay[], size = 500) {
    this.windows = essays.flatMap((essay) => {
      const out: string[] = [];
      for (let i = 0; i < essay.text.length; i += size) out.push(essay.text.slice(i, i + size));
      return out;
    });
    this.index = Bm25Index.fromTexts(this.windows);
  }

  search(query: string, k: number): string[] {
    return this.index.search(indexTerms(query), k).map((hit) => this.windows[hit.doc]);
  }
}

/** Counts for one system over the in-scope questions; figures() turns them into shares. */
class Tally {
  private r1 = 0;
  private r5 = 0;
  private rr = 0;
  private answer = 0;
  private cited = 0;
  falseRefusals = 0;

  /** records the rank of the first relevant result (Infinity when none) */
  rank(rank: number): void {
    if (rank <= 1) this.r1 += 1;
    if (rank <= 5) this.r5 += 1;
    this.rr += rank === Infinity ? 0 : 1 / rank;
  }

  answered(hasEvidence: boolean, citationsHaveEvidence: boolean): void {
    if (hasEvidence) this.answer += 1;
    if (citationsHaveEvidence) this.cited += 1;
  }

  figures(questions: number, outOfScopeRefused: number): EvalFigures {
    const n = questions || 1;
    return {
      recallAt1: this.r1 / n,
      recallAt5: this.r5 / n,
      mrr: this.rr / n,
      answerHasEvidence: this.answer / n,
      citationsHaveEvidence: this.cited / n,
      outOfScopeRefused,
      falseRefusals: this.falseRefusals,
    };
  }
}

export async function evaluate(questions: EvalQuestion[], retriever: Retriever, answerer: Answerer): Promise<EvalReport> {
  const baseline = new FixedWindowBaseline(retriever.essays);
  const inScope = questions.filter((q) => !q.outOfScope);
  const outOfScope = questions.filter((q) => q.outOfScope);
  const sys = new Tally();
  const base = new Tally();
  const misses: EvalReport['misses'] = [];
  const falseRefusalIds: string[] = [];
  const acceptedOutOfScope: string[] = [];

  for (const q of inScope) {
    const result = await retriever.search(q.question, { k: 10, ignoreFloor: true });
    const rank = firstRelevantRank(result.hits.map((hit) => hit.chunk.text), q.evidence);
    sys.rank(rank);
    if (rank > 5) misses.push({ id: q.id, question: q.question, topChunk: result.hits[0]?.chunk.id });

    const answer = await answerer.answer(q.question);
    if (!answer.grounded) {
      sys.falseRefusals += 1;
      falseRefusalIds.push(q.id);
    }
    sys.answered(containsEvidence(answer.answer, q.evidence), answer.citations.some((c) => containsEvidence(c.quote, q.evidence)));

    const windows = baseline.search(q.question, 10);
    base.rank(firstRelevantRank(windows, q.evidence));
    // the baseline answers with its top window and cites it
    const topHasEvidence = windows[0] !== undefined && containsEvidence(windows[0], q.evidence);
    base.answered(topHasEvidence, topHasEvidence);
  }
  let refused = 0;
  for (const q of outOfScope) {
    const answer = await answerer.answer(q.question);
    if (!answer.grounded && answer.citations.length === 0) refused += 1;
    else acceptedOutOfScope.push(q.id);
  }

  return {
    questions: questions.length,
    inScope: inScope.length,
    outOfScope: outOfScope.length,
    natural: questions.filter((q) => q.style === 'natural').length,
    system: sys.figures(inScope.length, refused / (outOfScope.length || 1)),
    // the baseline never refuses
    baseline: base.figures(inScope.length, 0),
    misses,
    falseRefusalIds,
    acceptedOutOfScope,
  };
}

export function formatReport(report: EvalReport): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const rows: Array<[string, (f: EvalFigures) => string]> = [
    ['Recall@1', (f) => pct(f.recallAt1)],
    ['Recall@5', (f) => pct(f.recallAt5)],
    ['MRR', (f) => f.mrr.toFixed(3)],
    ['答案含证据 answer has evidence', (f) => pct(f.answerHasEvidence)],
    ['引用含证据 citations have evidence', (f) => pct(f.citationsHaveEvidence)],
    ['超范围拒答 out-of-scope refused', (f) => pct(f.outOfScopeRefused)],
    ['误拒 false refusals', (f) => String(f.falseRefusals)],
  ];
  const lines = [
    `评测集 ${report.questions} 题:范围内 ${report.inScope},超范围 ${report.outOfScope},口语化 ${report.natural}`,
    '',
    `${'指标 metric'.padEnd(34)}${'系统 system'.padStart(14)}${'基线 baseline'.padStart(16)}`,
    ...rows.map(([name, fmt]) => `${name.padEnd(34)}${fmt(report.system).padStart(14)}${fmt(report.baseline).padStart(16)}`),
    '',
    '基线 = BM25 + 固定 500 字窗口,取第一条结果作答,从不拒答。',
  ];
  if (report.misses.length > 0) lines.push('', `前 5 未命中:${report.misses.map((m) => `${m.id} ${m.question}`).join(';')}`);
  if (report.falseRefusalIds.length > 0) lines.push(`误拒:${report.falseRefusalIds.join(', ')}`);
  if (report.acceptedOutOfScope.length > 0) lines.push(`未拒答的超范围问题:${report.acceptedOutOfScope.join(', ')}`);
  return lines.join('\n');
}

export function targetFailures(report: EvalReport): string[] {
  const failures: string[] = [];
  const { system, baseline } = report;
  if (system.recallAt5 < TARGETS.recallAt5) failures.push(`Recall@5 ${system.recallAt5.toFixed(3)} < ${TARGETS.recallAt5}`);
  if (system.mrr < TARGETS.mrr) failures.push(`MRR ${system.mrr.toFixed(3)} < ${TARGETS.mrr}`);
  if (system.outOfScopeRefused < 1) failures.push(`out-of-scope refused ${system.outOfScopeRefused.toFixed(3)} < 1`);
  if (system.falseRefusals > TARGETS.maxFalseRefusals) failures.push(`false refusals ${system.falseRefusals} > ${TARGETS.maxFalseRefusals}`);
  for (const key of ['recallAt1', 'recallAt5', 'mrr', 'answerHasEvidence', 'citationsHaveEvidence'] as const) {
    if (system[key] <= baseline[key]) failures.push(`${key} not ahead of the baseline (${system[key].toFixed(3)} ≤ ${baseline[key].toFixed(3)})`);
  }
  return failures;
}
