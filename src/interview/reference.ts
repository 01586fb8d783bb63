// How close an answer's content is to the question's reference answer (the spoken model answer of
// the bank): the words they share, apart from the question's own words and the all-purpose ones
// every answer uses. A good answer in the candidate's own words says much of what the reference
// says even where it matches no key point's keywords; 套话, a list of terms, an answer about another
// matter or one that goes along with something wrong shares little of it.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { words } from '../retrieval/tokenize.ts';
import { GENERIC_WORDS } from './answer-analysis.ts';

function profile(text: string, left: Set<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words(text.replace(/\[\d+\]/g, ''))) {
    const key = normalizeForMatch(word);
    if (Array.from(key).length < 2 || GENERIC_WORDS.has(word) || left.has(key)) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // (a word said again and again counts for less each time)
  for (const [word, count] of counts) counts.set(word, Math.sqrt(count));
  return counts;
}

interface ReferenceProfile {
  stemWords: Set<string>;
  words: Map<string, number>;
  norm: number;
}

// a question's reference answer is read once, not for every answer scored (and twice per answer)
const profiles = new Map<string, ReferenceProfile>();

function referenceProfile(reference: string, stem: string): ReferenceProfile {
  const key = `${stem}\u0000${reference}`;
  let cached = profiles.get(key);
  if (!cached) {
    const stemWords = new Set(words(stem).map(normalizeForMatch));
    const counts = profile(reference, stemWords);
    cached = { stemWords, words: counts, norm: Math.sqrt([...counts.values()].reduce((sum, y) => sum + y * y, 0)) };
    // (questions of the candidate's own have no reference answer: the bank bounds this)
    if (profiles.size >= 500) profiles.clear();
    profiles.set(key, cached);
  }
  return cached;
}

/** Cosine of the answer's and the reference answer's content words, 0..1. */
export function referenceSimilarity(reference: string, stem: string, answer: string): number {
  const r = referenceProfile(reference, stem);
  const a = profile(answer, r.stemWords);
  let dot = 0;
  let na = 0;
  for (const [word, x] of a) {
    na += x * x;
    dot += x * (r.words.get(word) ?? 0);
  }
  return na === 0 || r.norm === 0 ? 0 : dot / (Math.sqrt(na) * r.norm);
}

/**
 * At REFERENCE_NONE an answer shares as much of the reference as a typical poor one (the median
 * of the dev split's weak, stuffed, rambling and off-topic answers: 0.10–0.13); at REFERENCE_FULL
 * as much as a typical strong one (their median: 0.31).
 */
export const REFERENCE_NONE = 0.12;
export const REFERENCE_FULL = 0.31;
/**
 * Below this an answer shares less of the reference than the typical off-topic answer of the dev
 * split does (their median: 0.09–0.12): it is about something else (dev: 0.06/0.08/0.10/0.12 →
 * band agreement 85.6/85.8/85.9/85.4%).
 */
export const REFERENCE_OFF = 0.1;

/** The share of the substance the reference similarity can stand in for, 0..1. */
export function referenceShare(similarity: number): number {
  return Math.min(1, Math.max(0, (similarity - REFERENCE_NONE) / (REFERENCE_FULL - REFERENCE_NONE)));
}
