import { indexTerms } from './tokenize.ts';

export interface Bm25Options {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Options = { k1: 1.2, b: 0.75 };

export interface ScoredDoc {
  doc: number;
  score: number;
}

/** A compact in-memory BM25 index over pre-tokenised documents (ids are array positions). */
export class Bm25Index {
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly docLengths: Float64Array;
  private readonly averageLength: number;
  readonly size: number;

  constructor(
    documents: string[][],
    private readonly options: Bm25Options = DEFAULT_BM25,
  ) {
    this.size = documents.length;
    this.docLengths = new Float64Array(documents.length);
    documents.forEach((terms, doc) => {
      this.docLengths[doc] = terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = { docs: [], tfs: [] }));
        posting.docs.push(doc);
        posting.tfs.push(tf);
      }
    });
    const total = this.docLengths.reduce((sum, length) => sum + length, 0);
    this.averageLength = documents.length > 0 ? total / documents.length : 0;
  }

  static fromTexts(texts: string[], options?: Bm25Options): Bm25Index {
    return new Bm25Index(texts.map((text) => indexTerms(text)), options);
  }

  /** Every term the index holds. */
  terms(): IterableIterator<string> {
    return this.postings.keys();
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Lucene-style idf, always positive; a term no document has gets the largest idf. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Scores every document that shares a term with the query, best first. */
  search(query: string[] | Map<string, number>, limit = 10, filter?: (doc: number) => boolean): ScoredDoc[] {
    const { k1, b } = this.options;
    const scores = new Map<number, number>();
    const queryCounts = query instanceof Map ? query : termWeights(query);
    for (const [term, qtf] of queryCounts) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term);
      for (let i = 0; i < posting.docs.length; i += 1) {
        const doc = posting.docs[i];
        const tf = posting.tfs[i];
        const norm = tf + k1 * (1 - b + (b * this.docLengths[doc]) / (this.averageLength || 1));
        scores.set(doc, (scores.get(doc) ?? 0) + qtf * idf * ((tf * (k1 + 1)) / norm));
      }
    }
    const results: ScoredDoc[] = [];
    for (const [doc, score] of scores) if (!filter || filter(doc)) results.push({ doc, score });
    results.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return results.slice(0, limit);
  }
}

/** Term → how often it occurs; the query-side weights BM25 multiplies by. */
export function termWeights(terms: string[], weight = 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + weight);
  return counts;
}
