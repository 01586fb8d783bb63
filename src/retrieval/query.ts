import { termWeights } from './bm25.ts';
import { COLLOQUIAL_SYNONYMS } from './synonyms.ts';
import { bigramTerm, indexTerms, isBigramTerm } from './tokenize.ts';

const EXPANSION_WEIGHT = 0.6;

/** How much a query term counts when judging coverage: its idf, words double (the precise signal). */
export function termWeight(idf: number, term: string): number {
  return idf * (isBigramTerm(term) ? 1 : 2);
}

export interface TermGroup {
  /** the user's own term */
  term: string;
  /** the term or any of these counts as found */
  alternatives: string[];
  /**
   * for a long word: its inner bigrams; all of them present also counts as found, since the
   * essays may segment the same characters differently (分类管理 vs 分类 + 管理)
   */
  parts?: string[];
}

function innerBigrams(word: string): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 1) out.push(bigramTerm(chars[i] + chars[i + 1]));
  return out;
}

export interface AnalyzedQuery {
  /** the user's own index terms */
  terms: string[];
  /** BM25 query weights: the user's terms plus expansions */
  weights: Map<string, number>;
  /** for coverage: each of the user's terms with its acceptable alternatives */
  groups: TermGroup[];
}

function expansionTerms(phrase: string): string[] {
  return indexTerms(phrase).filter((term) => !isBigramTerm(term));
}

/** Index terms of a query, with everyday words expanded to the essays' vocabulary. */
export function analyzeQuery(query: string): AnalyzedQuery {
  const terms = indexTerms(query);
  const weights = termWeights(terms);
  const colloquial = [...new Set(terms)].filter((term) => !isBigramTerm(term) && COLLOQUIAL_SYNONYMS[term]);
  const groups: TermGroup[] = [];
  for (const term of new Set(terms)) {
    const synonyms = !isBigramTerm(term) ? COLLOQUIAL_SYNONYMS[term] : undefined;
    if (synonyms) {
      const alternatives = [...new Set(synonyms.flatMap(expansionTerms))];
      for (const alt of alternatives) weights.set(alt, (weights.get(alt) ?? 0) + EXPANSION_WEIGHT);
      groups.push({ term, alternatives: [term, ...alternatives] });
      continue;
    }
    // the bigrams inside an expanded everyday word are judged through that word
    if (isBigramTerm(term) && colloquial.some((word) => word.includes(term.slice(1)))) continue;
    groups.push({ term, alternatives: [term], parts: !isBigramTerm(term) && term.length > 2 ? innerBigrams(term) : undefined });
  }
  return { terms, weights, groups };
}
