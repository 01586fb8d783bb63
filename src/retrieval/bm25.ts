import { forEachCount, TermTable } from './term-table.ts';
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
    const table = new TermTable();
    return Bm25Index.fromTermIds(documents.map((terms) => table.encode(terms)), table.terms, options);
  }

  /**
   * From documents as ids into `vocabulary`, in two passes straight into typed arrays. Terms are
   * numbered in the order they first occur, each posting list runs in document order.
   */
  static fromTermIds(documents: Uint32Array[], vocabulary: string[], options: Bm25Options = DEFAULT_BM25): Bm25Index {
    const localOf = new Int32Array(vocabulary.length).fill(-1);
    const order: number[] = [];
    const documentFrequency = new Uint32Array(vocabulary.length);
    const scratch = new Uint32Array(vocabulary.length);
    const docLengths = new Float64Array(documents.length);
    let largest = 0;
    documents.forEach((doc, d) => {
      docLengths[d] = doc.length;
      forEachCount(doc, scratch, (id, tf) => {
        if (localOf[id] < 0) localOf[id] = order.push(id) - 1;
        documentFrequency[localOf[id]] += 1;
        largest = Math.max(largest, tf);
      });
    });
    const offsets = new Uint32Array(order.length + 1);
    for (let t = 0; t < order.length; t += 1) offsets[t + 1] = offsets[t] + documentFrequency[t];
    const docs = new Uint32Array(offsets[order.length]);
    const tfs = largest < 0x10000 ? new Uint16Array(docs.length) : new Uint32Array(docs.length);
    const cursor = offsets.slice(0, order.length);
    documents.forEach((doc, d) => {
      forEachCount(doc, scratch, (id, tf) => {
        const at = cursor[localOf[id]]++;
        docs[at] = d;
        tfs[at] = tf;
      });
    });
    return new Bm25Index({ terms: order.map((id) => vocabulary[id]), offsets, docs, tfs, docLengths }, options);
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
    // a dense accumulator and the documents touched, in place of a Map: common terms reach most
    // documents of a large corpus; each score still adds its terms in query order
    const scores = new Float64Array(this.size);
    const seen = new Uint8Array(this.size);
    const touched: number[] = [];
    const queryCounts = query instanceof Map ? query : termWeights(query);
    for (const [term, qtf] of queryCounts) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      for (let i = offsets[id]; i < offsets[id + 1]; i += 1) {
        const doc = docs[i];
        const tf = tfs[i];
        const norm = tf + k1 * (1 - b + (b * docLengths[doc]) / (this.averageLength || 1));
        if (seen[doc] === 0) {
          seen[doc] = 1;
          touched.push(doc);
        }
        scores[doc] += qtf * idf * ((tf * (k1 + 1)) / norm);
      }
    }
    const results: ScoredDoc[] = [];
    for (const doc of touched) if (!filter || filter(doc)) results.push({ doc, score: scores[doc] });
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
