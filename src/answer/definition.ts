// "什么是社会治理?": the essays' own definition of the term is the answer. A passage that defines
// exactly that term ("社会治理,即……") in an essay the search already found joins the passages
// the answer is drawn from, even when other passages of that essay use the term more often and
// rank above it.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Chunk } from '../knowledge/types.ts';
import type { AnalyzedQuery } from '../retrieval/query.ts';
import type { SearchHit } from '../retrieval/search-types.ts';
import { isBigramTerm } from '../retrieval/tokenize.ts';
import { questionForm, STRONG_DEFINITION_MARK } from './question-form.ts';

/** a sentence that defines its subject: "社会治理,即……", "所谓网格化管理,是指……" */
const DEFINING_SENTENCE = new RegExp(`^(?:所谓)?([^，,。；;:：]{2,16}?)[,，]?\\s*(?:${STRONG_DEFINITION_MARK.source})`);

/**
 * The term a definition question asks about, as the essays would write it: its words in the order
 * asked ("社会治理到底啥意思" → 社会治理). Undefined for other questions.
 */
export function definedTermOf(analyzed: AnalyzedQuery): string | undefined {
  if (questionForm(analyzed.asked) !== 'define') return undefined;
  const asked = normalizeForMatch(analyzed.asked);
  const words = analyzed.groups.filter((g) => !isBigramTerm(g.term) && !g.findingOnly && g.weight >= 1).map((g) => g.term);
  if (words.length === 0) return undefined;
  return words.sort((a, b) => asked.indexOf(a) - asked.indexOf(b)).join('');
}

/** Whether a text has a sentence (or line) that defines exactly this term. */
export function definesTerm(text: string, term: string): boolean {
  return text.split(/[。！？!?\n]/).some((sentence) => {
    const m = DEFINING_SENTENCE.exec(sentence.trim());
    return m !== null && normalizeForMatch(m[1]) === term;
  });
}

/**
 * The first `passages` hits, with the passage that defines the asked-about term put among them
 * when they do not already hold it (it takes the place of the last of them), then the rest.
 */
export function withDefinition(hits: SearchHit[], passages: number, analyzed: AnalyzedQuery, chunksOf: (essayId: string) => readonly Chunk[]): SearchHit[] {
  const term = definedTermOf(analyzed);
  if (!term || hits.length === 0) return hits;
  if (hits.slice(0, passages).some((hit) => definesTerm(hit.chunk.text, term))) return hits;
  const placed = (defining: SearchHit): SearchHit[] => {
    const rest = hits.filter((hit) => hit !== defining);
    return [...rest.slice(0, passages - 1), defining, ...rest.slice(passages - 1)];
  };
  // found by the search but ranked lower, or in an essay the search found
  const later = hits.slice(passages).find((hit) => definesTerm(hit.chunk.text, term));
  if (later) return placed(later);
  const shown = new Set(hits.map((hit) => hit.chunk.id));
  for (const hit of hits.slice(0, passages)) {
    const defining = chunksOf(hit.chunk.essayId).find((chunk) => !shown.has(chunk.id) && definesTerm(chunk.text, term));
    if (defining) return placed({ rank: hit.rank, chunk: defining, essay: hit.essay, score: hit.score });
  }
  return hits;
}
