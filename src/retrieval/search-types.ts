// What a search returns: the ranked passages and the evidence for answering, partly answering
// or not answering.
import type { Chunk, Essay } from '../knowledge/types.ts';
import type { FigureKind } from './answerable.ts';
import type { AnalyzedQuery } from './query.ts';

export interface SearchHit {
  rank: number;
  chunk: Chunk;
  essay: Essay;
  /** fused score (weighted reciprocal rank) */
  score: number;
  bm25Rank?: number;
  denseRank?: number;
  /**
   * not found by the search: the passage after a retrieved one (whose chunk id this is), added
   * only to complete a list that one starts (src/answer/continuation.ts)
   */
  continues?: string;
}

export type CoverageDecision = 'covered' | 'partial' | 'none';

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** idf-weighted share of the query's terms found in the best passages (0..1) */
  relevance: number;
  /** false when the knowledge base does not cover the query at all */
  covered: boolean;
  coverage: CoverageDecision;
  /** the question's words the best passage has, and those it lacks (for "what the essays do not say") */
  found: string[];
  missing: string[];
  /** names, numbers or documents the question asks about that no essay contains */
  unknownSpecifics: string[];
  /** the question asks for a figure and no sentence of the best passages gives one on its topic */
  figureMissing: boolean;
  /** what kind of figure or detail it asks for (a year, who is in charge, an exam's subjects …) */
  figureKind?: FigureKind;
  /**
   * the question asks for the members of a counted set ("哪六治", size 6) or of a named thing
   * ("“小微权力清单”包括哪些事项", size 0) the passages do not list; named: how the essays name it
   */
  unlistedSet?: { size: number; named: string[] };
  /** the analysis of the question (and of the one it follows), for choosing sentences to quote */
  analyzed: AnalyzedQuery;
  contextAnalyzed?: AnalyzedQuery;
  language: 'zh' | 'en';
  /** cosine similarity of the query to its nearest passage by meaning (0 without vectors) */
  similarity: number;
  /** idf-weighted share of the question's nouns and known words that the essays use anywhere */
  familiarity: number;
}

export interface SearchOptions {
  k?: number;
  /** earlier question(s) in the conversation, mixed in with a lower weight */
  context?: string;
  /** search the lexical index only (e.g. when the embeddings endpoint is down) */
  lexicalOnly?: boolean;
  /** return the ranking even when the query is not covered (evaluation, closest passages) */
  ignoreFloor?: boolean;
}
