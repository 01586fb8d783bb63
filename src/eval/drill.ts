// Drill scoring measured on calibration answers: band agreement and ordering, per kind, for the
// offline examiner and for a plain keyword-coverage baseline, on dev and test side by side.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { questionFromText } from '../interview/adhoc.ts';
import { ANSWER_KINDS, type AnswerKind, type CalibrationAnswer } from '../interview/calibration.ts';
import { scoreOffline } from '../interview/offline.ts';
import { detectQuestionType } from '../interview/question-type.ts';
import { bandOf } from '../interview/scorer.ts';
import type { Band, InterviewQuestion } from '../interview/types.ts';

export interface ScoredAnswer {
  answer: CalibrationAnswer;
  /** the question the answer was scored against (bank, or built from its stem) */
  questionKey: string;
  system: { total: number; band: Band };
  baseline: { total: number; band: Band };
}

export interface DrillFigures {
  answers: number;
  bandAgreement: number;
  /** question groups where strong > medium > weak does not hold */
  orderViolations: string[];
  /** stuffed / rambling / off-topic / wrongdoing answers that score at or above their question's medium answer */
  belowMediumViolations: string[];
  /** stuffed answers that reach 中 or better */
  stuffedAtMedium: number;
  /** answers to questions outside the bank: strong ones at 好, weak ones at 差 */
  ownStrongGood: number;
  ownWeakPoor: number;
}

export interface DrillReport {
  split: string;
  system: DrillFigures;
  baseline: DrillFigures;
  /** band agreement per kind, system / baseline */
  kinds: Array<{ kind: AnswerKind; n: number; system: number; baseline: number }>;
  /** own-question stems whose detected type differs from the one they were written as */
  typeMisses: string[];
  ownQuestions: number;
  disagreements: Array<{ id: string; kind: string; expected: Band; got: Band; total: number }>;
}

/** The baseline: weighted share of key points with at least one keyword in the answer, as a score out of 100. */
export function keywordBaseline(question: InterviewQuestion, answer: string): number {
  const text = normalizeForMatch(answer);
  const total = question.keyPoints.reduce((sum, p) => sum + p.weight, 0);
  if (total === 0) return 0;
  const got = question.keyPoints.filter((p) => p.keywords.some((k) => text.includes(normalizeForMatch(k)))).reduce((sum, p) => sum + p.weight, 0);
  return Math.round((got / total) * 1000) / 10;
}

function figuresOf(scored: ScoredAnswer[], pick: (s: ScoredAnswer) => { total: number; band: Band }): DrillFigures {
  const groups = new Map<string, ScoredAnswer[]>();
  for (const s of scored) groups.set(s.questionKey, [...(groups.get(s.questionKey) ?? []), s]);
  const orderViolations: string[] = [];
  const belowMediumViolations: string[] = [];
  for (const [key, items] of groups) {
    const of = (kind: AnswerKind): ScoredAnswer[] => items.filter((s) => s.answer.kind === kind);
    const best = (kind: AnswerKind): number | undefined => (of(kind).length ? Math.min(...of(kind).map((s) => pick(s).total)) : undefined);
    const worst = (kind: AnswerKind): number | undefined => (of(kind).length ? Math.max(...of(kind).map((s) => pick(s).total)) : undefined);
    const strong = best('strong');
    const medium = best('medium');
    const mediumTop = worst('medium');
    const weak = worst('weak');
    if ((strong !== undefined && medium !== undefined && strong <= (mediumTop ?? medium)) || (medium !== undefined && weak !== undefined && medium <= weak)) {
      orderViolations.push(key);
    }
    if (medium !== undefined) {
      for (const kind of ['stuffed', 'rambling', 'offtopic', 'wrongdoing'] as const) {
        for (const s of of(kind)) if (pick(s).total >= medium) belowMediumViolations.push(s.answer.id);
      }
    }
  }
  const share = (items: ScoredAnswer[], test: (s: ScoredAnswer) => boolean): number => (items.length === 0 ? 0 : items.filter(test).length / items.length);
  const own = scored.filter((s) => s.answer.stem !== undefined);
  return {
    answers: scored.length,
    bandAgreement: share(scored, (s) => pick(s).band === s.answer.band),
    orderViolations,
    belowMediumViolations,
    stuffedAtMedium: scored.filter((s) => s.answer.kind === 'stuffed' && pick(s).band !== '差').length,
    ownStrongGood: share(own.filter((s) => s.answer.kind === 'strong'), (s) => pick(s).band === '好'),
    ownWeakPoor: share(own.filter((s) => s.answer.kind === 'weak'), (s) => pick(s).band === '差'),
  };
}

export async function scoreCalibration(answers: CalibrationAnswer[], bank: InterviewQuestion[], retriever: Retriever): Promise<ScoredAnswer[]> {
  const byId = new Map(bank.map((q) => [q.id, q]));
  const own = new Map<string, InterviewQuestion>();
  const out: ScoredAnswer[] = [];
  for (const answer of answers) {
    let question: InterviewQuestion | undefined;
    if (answer.question) {
      question = byId.get(answer.question);
      if (!question) throw new Error(`calibration ${answer.id}: no bank question ${answer.question}`);
    } else {
      const stem = answer.stem ?? '';
      // scored as the product would: the type read from the stem
      question = own.get(stem) ?? (await questionFromText(stem, retriever));
      own.set(stem, question);
    }
    const review = await scoreOffline(question, answer.text, { retriever });
    const base = keywordBaseline(question, answer.text);
    out.push({
      answer,
      questionKey: answer.question ?? `own:${answer.stem}`,
      system: { total: review.total, band: review.band },
      baseline: { total: base, band: bandOf(base) },
    });
  }
  return out;
}

export async function evaluateDrill(split: string, answers: CalibrationAnswer[], bank: InterviewQuestion[], retriever: Retriever): Promise<DrillReport> {
  const scored = await scoreCalibration(answers, bank, retriever);
  const kinds = ANSWER_KINDS.map((kind) => {
    const items = scored.filter((s) => s.answer.kind === kind);
    const agree = (pick: (s: ScoredAnswer) => Band): number => (items.length === 0 ? 0 : items.filter((s) => pick(s) === s.answer.band).length / items.length);
    return { kind, n: items.length, system: agree((s) => s.system.band), baseline: agree((s) => s.baseline.band) };
  }).filter((k) => k.n > 0);
  const stems = new Map(answers.filter((a) => a.stem && a.type).map((a) => [a.stem ?? '', a.type]));
  return {
    split,
    system: figuresOf(scored, (s) => s.system),
    baseline: figuresOf(scored, (s) => s.baseline),
    kinds,
    typeMisses: [...stems].filter(([stem, type]) => detectQuestionType(stem) !== type).map(([stem, type]) => `${type}→${detectQuestionType(stem)}:${stem.slice(0, 30)}`),
    ownQuestions: stems.size,
    disagreements: scored
      .filter((s) => s.system.band !== s.answer.band)
      .map((s) => ({ id: s.answer.id, kind: s.answer.kind, expected: s.answer.band, got: s.system.band, total: s.system.total })),
  };
}

/** The targets, checked on the test split. */
export function drillGateFailures(report: DrillReport): string[] {
  const f = report.system;
  const failures: string[] = [];
  if (f.bandAgreement < 0.85) failures.push(`drill: band agreement ${f.bandAgreement.toFixed(3)} < 0.85`);
  if (f.orderViolations.length > 0) failures.push(`drill: strong > medium > weak broken for ${f.orderViolations.join(', ')}`);
  if (f.belowMediumViolations.length > 0) failures.push(`drill: not below medium: ${f.belowMediumViolations.join(', ')}`);
  if (f.stuffedAtMedium > 0) failures.push(`drill: ${f.stuffedAtMedium} stuffed answers reach 中`);
  if (f.ownStrongGood < 1) failures.push(`drill: own-question strong answers at 好 ${f.ownStrongGood.toFixed(2)} < 1`);
  if (f.ownWeakPoor < 1) failures.push(`drill: own-question weak answers at 差 ${f.ownWeakPoor.toFixed(2)} < 1`);
  return failures;
}
