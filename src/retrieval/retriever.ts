import hnswlib from 'hnswlib-node';
import type { Chunk, Essay } from '../knowledge/types.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { Bm25Index, DEFAULT_BM25, termWeights, type Bm25Options } from './bm25.ts';
import { analyzeQuery, termWeight, type TermGroup } from './query.ts';
import type { Embedder } from './embedder.ts';
import { bigrams, indexTerms, isBigramTerm } from './tokenize.ts';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

export interface RetrievalSettings {
  /** weights of the two rankings in reciprocal rank fusion */
  bm25Weight: number;
  denseWeight: number;
  rrfK: number;
  /** the knowledge base covers a query when the best passages hold this share of its (idf-weighted) terms */
  relevanceFloor: number;
  /** a passage this similar (bigram containment) to a higher-ranked one is not returned again */
  duplicateThreshold: number;
  bm25: Bm25Options;
  /** query-side weight of character bigrams relative to whole words */
  bigramWeight: number;
}

// Calibrated on eval/questions.jsonl (see `npm run eval`).
export const DEFAULT_RETRIEVAL: RetrievalSettings = {
  bm25Weight: 1,
  denseWeight: 0.3,
  rrfK: 5,
  relevanceFloor: 0.33,
  duplicateThreshold: 0.8,
  bm25: DEFAULT_BM25,
  bigramWeight: 1,
};

export interface SearchHit {
  rank: number;
  chunk: Chunk;
  essay: Essay;
  /** fused score (weighted reciprocal rank) */
  score: number;
  bm25Rank?: number;
  denseRank?: number;
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** idf-weighted share of the query's terms found in the best passages (0..1) */
  relevance: number;
  /** false when the knowledge base does not cover the query */
  covered: boolean;
}

export interface SearchOptions {
  k?: number;
  /** earlier question(s) in the conversation, mixed in with a lower weight */
  context?: string;
  /** search the lexical index only (e.g. when the embeddings endpoint is down) */
  lexicalOnly?: boolean;
  /** return the ranking even when the query falls below the relevance floor (evaluation) */
  ignoreFloor?: boolean;
}

export class Retriever {
  private readonly bm25: Bm25Index;
  private readonly essaysById: Map<string, Essay>;
  private readonly chunksById: Map<string, Chunk>;

  constructor(
    readonly essays: Essay[],
    readonly chunks: Chunk[],
    readonly embedder: Embedder,
    private readonly vectors: VectorIndex,
    readonly settings: RetrievalSettings = DEFAULT_RETRIEVAL,
    private readonly onDenseFailure: (error: unknown) => void = () => {},
  ) {
    // the section heading is indexed with its passage: "具体表现" questions name the heading's topic
    const terms = chunks.map((chunk) => indexTerms(indexedText(chunk)));
    this.bm25 = new Bm25Index(terms, settings.bm25);
    this.essaysById = new Map(essays.map((essay) => [essay.id, essay]));
    this.chunksById = new Map(chunks.map((chunk) => [chunk.id, chunk]));
  }

  essay(id: string): Essay | undefined {
    return this.essaysById.get(id);
  }

  chunk(id: string): Chunk | undefined {
    return this.chunksById.get(id);
  }

  chunksOf(essayId: string): Chunk[] {
    return this.chunks.filter((chunk) => chunk.essayId === essayId);
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const k = options.k ?? 5;
    const analyzed = analyzeQuery(query);
    const queryTerms = analyzed.terms;
    const weights = new Map(
      [...analyzed.weights].map(([term, weight]) => [term, isBigramTerm(term) ? weight * this.settings.bigramWeight : weight]),
    );
    if (options.context) {
      for (const [term, weight] of termWeights(indexTerms(options.context), 0.5)) {
        weights.set(term, (weights.get(term) ?? 0) + weight);
      }
    }
    const pool = Math.max(k * 4, 20);
    const lexical = this.bm25.search(weights, pool);
    const dense = options.lexicalOnly || (queryTerms.length === 0 && !options.context) ? [] : await this.denseSearch(options.context ? `${options.context}\n${query}` : query, pool);

    const fused = new Map<number, { score: number; bm25Rank?: number; denseRank?: number }>();
    const { bm25Weight, denseWeight, rrfK } = this.settings;
    lexical.forEach(({ doc }, i) => {
      const entry = fused.get(doc) ?? { score: 0 };
      entry.score += bm25Weight / (rrfK + i + 1);
      entry.bm25Rank = i + 1;
      fused.set(doc, entry);
    });
    dense.forEach((doc, i) => {
      const entry = fused.get(doc) ?? { score: 0 };
      entry.score += denseWeight / (rrfK + i + 1);
      entry.denseRank = i + 1;
      fused.set(doc, entry);
    });
    const ranked = [...fused.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);

    const hits: SearchHit[] = [];
    const kept: number[] = [];
    // per-query caches: computing these for the few passages looked at keeps the index small
    const gramsOf = memo((doc: number) => new Set(bigrams(this.chunks[doc].text)));
    for (const [doc, entry] of ranked) {
      if (hits.length >= k) break;
      if (kept.some((other) => this.isNearDuplicate(gramsOf, doc, other))) continue;
      kept.push(doc);
      const chunk = this.chunks[doc];
      const essay = this.essaysById.get(chunk.essayId);
      if (!essay) continue;
      hits.push({ rank: hits.length + 1, chunk, essay, score: entry.score, bm25Rank: entry.bm25Rank, denseRank: entry.denseRank });
    }
    // a follow-up ("那具体应该怎么做?") is judged together with the question it follows
    const groups = options.context ? analyzeQuery(`${options.context}\n${query}`).groups : analyzed.groups;
    const relevance = this.coverage(groups, kept.slice(0, 3));
    const covered = relevance >= this.settings.relevanceFloor && hits.length > 0;
    return { query, hits: covered || options.ignoreFloor ? hits : [], relevance, covered };
  }

  /**
   * Share of the query's idf mass found in the best passage: words count double (they are the
   * precise signal); a term counts as found when it or one of its everyday-word alternatives is.
   */
  coverage(groups: TermGroup[], docs: number[]): number {
    if (groups.length === 0 || docs.length === 0) return 0;
    const weightOf = (term: string): number => termWeight(this.bm25.idf(term), term);
    const total = groups.reduce((sum, group) => sum + weightOf(group.term), 0);
    let best = 0;
    for (const doc of docs) {
      const terms = this.termsOf(doc);
      const isFound = (group: TermGroup): boolean =>
        group.alternatives.some((t) => terms.has(t)) || (group.parts !== undefined && group.parts.every((t) => terms.has(t)));
      const found = groups.reduce((sum, group) => sum + (isFound(group) ? weightOf(group.term) : 0), 0);
      best = Math.max(best, found / total);
    }
    return best;
  }

  private termsOf(doc: number): Set<string> {
    const chunk = this.chunks[doc];
    return new Set(indexTerms(indexedText(chunk)));
  }

  private isNearDuplicate(gramsOf: (doc: number) => Set<string>, a: number, b: number): boolean {
    const x = gramsOf(a);
    const y = gramsOf(b);
    if (normalizeForMatch(this.chunks[a].text) === normalizeForMatch(this.chunks[b].text)) return true;
    const smaller = x.size <= y.size ? x : y;
    const larger = smaller === x ? y : x;
    if (smaller.size === 0) return false;
    let shared = 0;
    for (const gram of smaller) if (larger.has(gram)) shared += 1;
    return shared / smaller.size >= this.settings.duplicateThreshold;
  }

  private async denseSearch(query: string, limit: number): Promise<number[]> {
    try {
      const vector = await this.embedder.embedQuery(query);
      if (!vector.some((x) => x !== 0)) return [];
      const count = Math.min(limit, this.vectors.getCurrentCount());
      if (count === 0) return [];
      return this.vectors.searchKnn(vector, count).neighbors;
    } catch (error) {
      // a dense failure (e.g. the embeddings endpoint is down) degrades to lexical search
      this.onDenseFailure(error);
      return [];
    }
  }
}

/** What the lexical index sees of a passage: its section heading, then its text. */
function indexedText(chunk: Chunk): string {
  return chunk.text.startsWith(chunk.section) ? chunk.text : `${chunk.section}\n${chunk.text}`;
}

export function buildVectorIndex(vectors: number[][], dimensions: number): VectorIndex {
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex({ maxElements: Math.max(1, vectors.length), m: 16, efConstruction: 200, randomSeed: 100 });
  vectors.forEach((vector, label) => {
    // a zero vector (text with no known terms) cannot be normalised; give it a tiny direction
    const safe = vector.some((x) => x !== 0) ? vector : vector.map((_, i) => (i === 0 ? 1e-6 : 0));
    index.addPoint(safe, label);
  });
  index.setEf(Math.max(50, Math.min(200, vectors.length)));
  return index;
}

function memo<T>(compute: (key: number) => T): (key: number) => T {
  const cache = new Map<number, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}
