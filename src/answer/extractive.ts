// Extractive answers: verbatim sentences from the best passages, chosen by relevance with
// maximal marginal relevance (so the answer does not repeat itself), each cited.
import type { SearchHit } from '../retrieval/retriever.ts';
import { analyzeQuery, termWeight } from '../retrieval/query.ts';
import { bigrams, indexTerms } from '../retrieval/tokenize.ts';
import { splitSentences } from './sentences.ts';

export interface ExtractiveOptions {
  /** most sentences in an answer */
  maxSentences: number;
  /** stop adding sentences past this many characters */
  maxChars: number;
  /** relevance vs. novelty in MMR */
  lambda: number;
  /** passages to draw sentences from */
  passages: number;
}

export const DEFAULT_EXTRACTIVE: ExtractiveOptions = { maxSentences: 4, maxChars: 300, lambda: 0.7, passages: 4 };

export interface SelectedSentence {
  text: string;
  hit: SearchHit;
  /** offsets in the essay's cleaned text */
  start: number;
  end: number;
}

interface Candidate extends SelectedSentence {
  relevance: number;
  grams: Set<string>;
}

const MIN_SENTENCE = 10;
const SENTENCE_END = /[。！？!?；;]["”’」』)）】]*$/;

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return shared / Math.sqrt(a.size * b.size);
}

/**
 * Picks the sentences to quote. `idf` weighs query terms (rare terms matter more); sentences
 * from higher-ranked passages and sentences that open a passage get a small prior.
 */
export function selectSentences(
  query: string,
  hits: SearchHit[],
  idf: (term: string) => number,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE,
  context?: string,
): SelectedSentence[] {
  // a follow-up ("那具体应该怎么做?") is judged with the question it follows, at half weight
  const own = analyzeQuery(query).groups.map((group) => ({ ...group, scale: 1 }));
  const ownTerms = new Set(own.map((g) => g.term));
  const inherited = context
    ? analyzeQuery(context).groups.filter((g) => !ownTerms.has(g.term)).map((group) => ({ ...group, scale: 0.5 }))
    : [];
  const groups = [...own, ...inherited];
  const groupWeight = (group: (typeof groups)[number]): number => termWeight(idf(group.term), group.term) * group.scale;
  const totalWeight = groups.reduce((sum, group) => sum + groupWeight(group), 0) || 1;
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const hit of hits.slice(0, options.passages)) {
    const sentences = splitSentences(hit.chunk.text);
    sentences.forEach((sentence, position) => {
      // headings and fragments cut off by the scrape have no closing punctuation: not quotable answers
      if (sentence.text.length < MIN_SENTENCE || !SENTENCE_END.test(sentence.text) || seen.has(sentence.text)) return;
      seen.add(sentence.text);
      const terms = new Set(indexTerms(sentence.text));
      const matched =
        groups.reduce((sum, group) => sum + (group.alternatives.some((t) => terms.has(t)) ? groupWeight(group) : 0), 0) / totalWeight;
      const rankPrior = 0.25 / hit.rank;
      const positionPrior = position === 0 ? 0.05 : 0;
      candidates.push({
        text: sentence.text,
        hit,
        start: hit.chunk.start + sentence.start,
        end: hit.chunk.start + sentence.end,
        relevance: matched + rankPrior + positionPrior,
        grams: new Set(bigrams(sentence.text)),
      });
    });
  }

  const chosen: Candidate[] = [];
  let chars = 0;
  // the best passage is always quoted: its best sentence opens the selection
  const fromTop = candidates.filter((c) => c.hit === hits[0]).sort((a, b) => b.relevance - a.relevance)[0];
  if (fromTop) {
    candidates.splice(candidates.indexOf(fromTop), 1);
    chosen.push(fromTop);
    chars += fromTop.text.length;
  }
  while (chosen.length < options.maxSentences && candidates.length > 0) {
    let bestIndex = -1;
    let bestScore = -Infinity;
    candidates.forEach((candidate, i) => {
      const redundancy = Math.max(0, ...chosen.map((c) => similarity(c.grams, candidate.grams)));
      const score = options.lambda * candidate.relevance - (1 - options.lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    });
    const [best] = candidates.splice(bestIndex, 1);
    // stop when what is left is barely relevant or too redundant
    if (chosen.length > 0 && (best.relevance < 0.3 || bestScore <= 0)) break;
    if (chosen.length > 0 && chars + best.text.length > options.maxChars) continue;
    chosen.push(best);
    chars += best.text.length;
  }

  // read in a sensible order: essays by their best passage, sentences in their order in the essay
  const essayRank = new Map<string, number>();
  for (const c of chosen) essayRank.set(c.hit.essay.id, Math.min(essayRank.get(c.hit.essay.id) ?? Infinity, c.hit.rank));
  return chosen
    .sort((a, b) => (essayRank.get(a.hit.essay.id) ?? 0) - (essayRank.get(b.hit.essay.id) ?? 0) || a.start - b.start)
    .map(({ text, hit, start, end }) => ({ text, hit, start, end }));
}
