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

/**
 * The postings as flat typed arrays, what the index cache stores: the postings of term t are
 * docs/tfs[offsets[t] .. offsets[t + 1]), in document order; terms keep first-seen order.
 */
export interface Bm25Data {
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  /** 16 bits whenever every count fits (a passage of under 65,536 terms), half the memory */
  tfs: Uint16Array | Uint32Array;
  docLengths: Float64Array;
}

/** A compact in-memory BM25 index over pre-tokenised documents (ids are array positions). */
export class Bm25Index {
  private readonly termIds: Map<string, number>;
  private readonly averageLength: number;
  readonly size: number;

  private constructor(
    private readonly data: Bm25Data,
    private readonly options: Bm25Options,
  ) {
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.size = data.docLengths.length;
    const total = data.docLengths.reduce((sum, length) => sum + length, 0);
    this.averageLength = this.size > 0 ? total / this.size : 0;
  }

  static fromDocuments(documents: string[][], options: Bm25Options = DEFAULT_BM25): Bm25Index {
    const termIds = new Map<string, number>();
    const postingDocs: number[][] = [];
    const postingTfs: number[][] = [];
    const docLengths = new Float64Array(documents.length);
    documents.forEach((terms, doc) => {
      docLengths[doc] = terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = postingDocs.length;
          termIds.set(term, id);
          postingDocs.push([]);
          postingTfs.push([]);
        }
        postingDocs[id].push(doc);
        postingTfs[id].push(tf);
      }
    });
    const offsets = new Uint32Array(postingDocs.length + 1);
    postingDocs.forEach((docs, id) => (offsets[id + 1] = offsets[id] + docs.length));
    const docs = new Uint32Array(offsets[postingDocs.length]);
    const largest = postingTfs.reduce((max, list) => list.reduce((m, tf) => Math.max(m, tf), max), 0);
    const tfs = largest < 0x10000 ? new Uint16Array(docs.length) : new Uint32Array(docs.length);
    postingDocs.forEach((list, id) => {
      docs.set(list, offsets[id]);
      tfs.set(postingTfs[id], offsets[id]);
    });
    return new Bm25Index({ terms: [...termIds.keys()], offsets, docs, tfs, docLengths }, options);
  }

  /** An index read back from the cache: no tokenising. */
  static fromData(data: Bm25Data, options: Bm25Options = DEFAULT_BM25): Bm25Index {
    return new Bm25Index(data, options);
  }

  static fromTexts(texts: string[], options?: Bm25Options): Bm25Index {
    return Bm25Index.fromDocuments(texts.map((text) => indexTerms(text)), options);
  }

  toData(): Bm25Data {
    return this.data;
  }

  /** Every term the index holds. */
  terms(): IterableIterator<string> {
    return this.termIds.keys();
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.data.offsets[id + 1] - this.data.offsets[id];
  }

  /** Lucene-style idf, always positive; a term no document has gets the largest idf. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Scores every document that shares a term with the query, best first. */
  search(query: string[] | Map<string, number>, limit = 10, filter?: (doc: number) => boolean): ScoredDoc[] {
    const { k1, b } = this.options;
    const { offsets, docs, tfs, docLengths } = this.data;
    const scores = new Map<number, number>();
    const queryCounts = query instanceof Map ? query : termWeights(query);
    for (const [term, qtf] of queryCounts) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      for (let i = offsets[id]; i < offsets[id + 1]; i += 1) {
        const doc = docs[i];
        const tf = tfs[i];
        const norm = tf + k1 * (1 - b + (b * docLengths[doc]) / (this.averageLength || 1));
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
