// Key points matched by meaning, sentence by sentence. A point is made where one sentence (or two
// adjacent ones) carries several of its concepts together; one sentence supports at most two
// points; sentences that cannot earn (lists of terms, self-introductions, restating the question,
// generic phrases, going along with something wrong, said after time was up) earn nothing.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { COLLOQUIAL_SYNONYMS } from '../retrieval/synonyms.ts';
import { bigrams, words } from '../retrieval/tokenize.ts';
import { canEarn, heardWithin, type AnswerSentence } from './answer-analysis.ts';
import type { KeyPoint, PointResult, PointStatus } from './types.ts';

export interface MatchSettings {
  /** matched concept weight (in concepts) a hit needs */
  hitConcepts: number;
  /** … and a partial */
  partialConcepts: number;
  /** points one sentence may support */
  pointsPerSentence: number;
}

export const MATCH_SETTINGS: MatchSettings = { hitConcepts: 2, partialConcepts: 1, pointsPerSentence: 2 };

/** One thing a point says, with the other ways of saying it. */
interface Concept {
  forms: string[];
  /** 0.5 for what the question itself already says: repeating it proves little */
  weight: number;
}

// Words that say nothing about a particular point, even when a point's wording uses them.
const WEAK_CONCEPT_WORDS = new Set(
  '做到 实现 形成 建立 加强 提高 推进 落实 开展 发挥 作用 工作 问题 机制 方面 进行 注重 坚持 通过 利用 重点 关键 核心 根本 基础 能力 水平 群众 居民 村民 社区 村里 基层 治理 社会'.split(
    ' ',
  ),
);

// the lexicon maps everyday words to formal ones; read backwards it gives the everyday forms of a formal word
const EVERYDAY_FORMS = new Map<string, string[]>();
for (const [everyday, formals] of Object.entries(COLLOQUIAL_SYNONYMS)) {
  for (const formal of formals) EVERYDAY_FORMS.set(formal, [...(EVERYDAY_FORMS.get(formal) ?? []), everyday]);
}

function formsOf(term: string): string[] {
  return [term, ...(EVERYDAY_FORMS.get(term) ?? []), ...(COLLOQUIAL_SYNONYMS[term] ?? [])].map(normalizeForMatch).filter((f) => f.length >= 2);
}

/** The point's concepts: each keyword is one (with its forms), and so is each content word of the point's wording. */
export function conceptsOf(point: KeyPoint, stem: string): Concept[] {
  const stemText = normalizeForMatch(stem);
  const concepts: Concept[] = [];
  const seen = new Set<string>();
  const add = (term: string): void => {
    const key = normalizeForMatch(term);
    if (key.length < 2 || seen.has(key) || WEAK_CONCEPT_WORDS.has(key)) return;
    // a word inside a keyword already counted is the same concept
    if ([...seen].some((s) => s.includes(key) || key.includes(s))) return;
    seen.add(key);
    concepts.push({ forms: formsOf(term), weight: stemText.includes(key) ? 0.5 : 1 });
  };
  point.keywords.forEach(add);
  words(point.point).forEach(add);
  return concepts;
}

/** How strongly a text carries a concept: 1 for one of its forms, 0.5 for most of a long form's character pairs. */
function presence(concept: Concept, text: string, grams: Set<string>): number {
  if (concept.forms.some((form) => text.includes(form))) return 1;
  const longest = concept.forms[0];
  if (longest.length >= 3) {
    const own = new Set(bigrams(longest));
    if (own.size >= 2) {
      let shared = 0;
      for (const g of own) if (grams.has(g)) shared += 1;
      if (shared / own.size >= 0.6) return 0.5;
    }
  }
  return 0;
}

/** Matched concept weight of a point in a text. */
export function conceptScore(concepts: Concept[], text: string): number {
  const normalized = normalizeForMatch(text);
  const grams = new Set(bigrams(text));
  return concepts.reduce((sum, c) => sum + presence(c, normalized, grams) * c.weight, 0);
}

function statusOf(score: number, settings: MatchSettings): PointStatus {
  if (score >= settings.hitConcepts) return 'hit';
  if (score >= settings.partialConcepts) return 'partial';
  return 'miss';
}

/**
 * Decides for each key point whether the answer makes it and where. `earnsUntil` is the number
 * of content characters the examiner hears (the time limit); later sentences earn nothing.
 */
export function matchKeyPoints(
  points: KeyPoint[],
  stem: string,
  sentences: AnswerSentence[],
  options: { earnsUntil?: number; settings?: MatchSettings } = {},
): PointResult[] {
  const settings = options.settings ?? MATCH_SETTINGS;
  const limit = options.earnsUntil ?? Infinity;
  const earning = heardWithin(sentences, limit).filter(canEarn);
  const candidates: Array<{ point: number; window: AnswerSentence[]; score: number }> = [];
  points.forEach((point, p) => {
    const concepts = conceptsOf(point, stem);
    if (concepts.length === 0) return;
    earning.forEach((sentence, i) => {
      candidates.push({ point: p, window: [sentence], score: conceptScore(concepts, sentence.text) });
      const next = earning[i + 1];
      if (next && next.index === sentence.index + 1) {
        // two adjacent sentences may make a point together, at a small discount
        candidates.push({ point: p, window: [sentence, next], score: conceptScore(concepts, sentence.text + next.text) * 0.9 });
      }
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.window.length - b.window.length || a.point - b.point);
  const load = new Map<number, number>();
  const assigned = new Map<number, { window: AnswerSentence[]; score: number }>();
  for (const candidate of candidates) {
    if (statusOf(candidate.score, settings) === 'miss') break;
    if (assigned.has(candidate.point)) continue;
    if (candidate.window.some((s) => (load.get(s.index) ?? 0) >= settings.pointsPerSentence)) continue;
    assigned.set(candidate.point, candidate);
    for (const s of candidate.window) load.set(s.index, (load.get(s.index) ?? 0) + 1);
  }
  return points.map((point, p) => {
    const match = assigned.get(p);
    if (!match) return { point, status: 'miss' as const };
    return { point, status: statusOf(match.score, settings), evidence: match.window.map((s) => s.text).join('') };
  });
}
