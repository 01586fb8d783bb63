import { forEachCount, TermTable } from './term-table.ts';
import { indexTerms } from './tokenize.ts';

export interface Bm25Options {
  k1: number;
  b: number;
}

// k1 low: a term's weight saturates after a mention or two, so a passage that names the asked-about
// place or village over and over (a "基本情况" paragraph) does not outrank the one that answers (dev split)
export const DEFAULT_BM25: Bm25Options = { k1: 0.5, b: 0.75 };

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

/** One run of documents with postings of its own; its document ids start at `base`. */
class Segment {
  readonly termIds: Map<string, number>;
  readonly size: number;

  constructor(
    readonly data: Bm25Data,
    readonly base: number,
  ) {
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.size = data.docLengths.length;
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.data.offsets[id + 1] - this.data.offsets[id];
  }

  /** Whether the segment's document `local` has the term: a binary search in its postings. */
  has(local: number, term: string): boolean {
    const id = this.termIds.get(term);
    if (id === undefined) return false;
    const { offsets, docs } = this.data;
    let low = offsets[id];
    let high = offsets[id + 1];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (docs[middle] < local) low = middle + 1;
      else high = middle;
    }
    return low < offsets[id + 1] && docs[low] === local;
  }
}

/**
 * A compact in-memory BM25 index over pre-tokenised documents (ids are array positions). The
 * documents sit in one segment, or in two when documents were added since it was built: the
 * built one, shared with the index it came from, and the added ones. Every figure (document
 * frequency, average length, each document's score) is the one a single index over all the
 * documents in the same order would give.
 */
export class Bm25Index {
  private readonly averageLength: number;
  /** k1 · (1 − b + b · length / average length) of each document, the part of BM25's norm that does not depend on the term */
  private readonly lengthNorms: Float64Array;
  readonly size: number;

  private constructor(
    private readonly segments: Segment[],
    private readonly options: Bm25Options,
  ) {
    this.size = segments.reduce((sum, segment) => sum + segment.size, 0);
    let total = 0;
    for (const segment of segments) for (const length of segment.data.docLengths) total += length;
    this.averageLength = this.size > 0 ? total / this.size : 0;
    const { k1, b } = options;
    this.lengthNorms = new Float64Array(this.size);
    for (const segment of segments) {
      const lengths = segment.data.docLengths;
      for (let d = 0; d < lengths.length; d += 1) this.lengthNorms[segment.base + d] = k1 * (1 - b + (b * lengths[d]) / (this.averageLength || 1));
    }
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
    return new Bm25Index([new Segment(postingsOf(documents, vocabulary), 0)], options);
  }

  /** An index read back from the cache (one or two segments): no tokenising. */
  static fromData(data: Bm25Data | Bm25Data[], options: Bm25Options = DEFAULT_BM25): Bm25Index {
    const list = Array.isArray(data) ? data : [data];
    let base = 0;
    return new Bm25Index(
      list.map((segment) => {
        const built = new Segment(segment, base);
        base += built.size;
        return built;
      }),
      options,
    );
  }

  static fromTexts(texts: string[], options?: Bm25Options): Bm25Index {
    return Bm25Index.fromDocuments(texts.map((text) => indexTerms(text)), options);
  }

  /**
   * This index with `documents` added after its own (ids from `size` on). The first segment is
   * shared, not copied; documents added before are merged with these into the second.
   */
  withDocuments(documents: Uint32Array[], vocabulary: string[]): Bm25Index {
    const added = postingsOf(documents, vocabulary);
    const [first, ...rest] = this.segments;
    const delta = rest.length === 0 ? added : mergeSegments([...rest.map((segment) => segment.data), added]);
    return new Bm25Index([first, new Segment(delta, first.size)], this.options);
  }

  /** The single segment's data (an index that was never added to). */
  toData(): Bm25Data {
    if (this.segments.length !== 1) throw new Error('toData: the index has added documents; use segmentsData()');
    return this.segments[0].data;
  }

  /** Each segment's data, in document order: what the index cache stores. */
  segmentsData(): Bm25Data[] {
    return this.segments.map((segment) => segment.data);
  }

  /** How many documents were added to the built index (0 for a built one). */
  get addedDocuments(): number {
    return this.size - this.segments[0].size;
  }

  /** Every term the index holds, in the order a single index over all documents would list them. */
  *terms(): IterableIterator<string> {
    yield* this.segments[0].termIds.keys();
    for (let s = 1; s < this.segments.length; s += 1) {
      for (const term of this.segments[s].termIds.keys()) if (!this.segments.slice(0, s).some((earlier) => earlier.termIds.has(term))) yield term;
    }
  }

  documentFrequency(term: string): number {
    let df = 0;
    for (const segment of this.segments) df += segment.documentFrequency(term);
    return df;
  }

  /** Whether document `doc` has the term (its postings say so: no tokenising). */
  has(doc: number, term: string): boolean {
    for (const segment of this.segments) if (doc >= segment.base && doc < segment.base + segment.size) return segment.has(doc - segment.base, term);
    return false;
  }

  /** Lucene-style idf, always positive; a term no document has gets the largest idf. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Scores every document that shares a term with the query, best first. */
  search(query: string[] | Map<string, number>, limit = 10, filter?: (doc: number) => boolean): ScoredDoc[] {
    const { k1 } = this.options;
    const lengthNorms = this.lengthNorms;
    // a dense accumulator and the documents touched, in place of a Map: common terms reach most
    // documents of a large corpus; each score still adds its terms in query order
    const scores = new Float64Array(this.size);
    const seen = new Uint8Array(this.size);
    const touched = new Int32Array(this.size);
    let count = 0;
    const queryCounts = query instanceof Map ? query : termWeights(query);
    for (const [term, qtf] of queryCounts) {
      const df = this.documentFrequency(term);
      if (df === 0) continue;
      const idf = this.idf(term);
      for (const segment of this.segments) {
        const id = segment.termIds.get(term);
        if (id === undefined) continue;
        const { offsets, docs, tfs } = segment.data;
        const base = segment.base;
        for (let i = offsets[id]; i < offsets[id + 1]; i += 1) {
          const doc = base + docs[i];
          const tf = tfs[i];
          const norm = tf + lengthNorms[doc];
          if (seen[doc] === 0) {
            seen[doc] = 1;
            touched[count++] = doc;
          }
          scores[doc] += qtf * idf * ((tf * (k1 + 1)) / norm);
        }
      }
    }
    return topScored(touched.subarray(0, count), scores, limit, filter);
  }
}

/** The `limit` best of the touched documents (higher score, then lower id), best first: a heap, not a sort of all of them. */
function topScored(touched: Int32Array, scores: Float64Array, limit: number, filter?: (doc: number) => boolean): ScoredDoc[] {
  const capacity = Math.max(0, Math.min(touched.length, Math.trunc(limit) || 0));
  if (capacity === 0) return [];
  // a min-heap on (score, −doc): its root is the worst document kept so far
  const heap = new Int32Array(capacity);
  let size = 0;
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (from: number): void => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && worse(heap[right], heap[left]) ? right : left;
      if (!worse(heap[child], heap[at])) return;
      [heap[at], heap[child]] = [heap[child], heap[at]];
      at = child;
    }
  };
  for (const doc of touched) {
    if (filter && !filter(doc)) continue;
    if (size < capacity) {
      let at = size++;
      heap[at] = doc;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at], heap[parent])) break;
        [heap[at], heap[parent]] = [heap[parent], heap[at]];
        at = parent;
      }
    } else if (worse(heap[0], doc)) {
      heap[0] = doc;
      siftDown(0);
    }
  }
  const out: ScoredDoc[] = new Array<ScoredDoc>(size);
  for (let i = size - 1; i >= 0; i -= 1) {
    out[i] = { doc: heap[0], score: scores[heap[0]] };
    heap[0] = heap[size - 1];
    size -= 1;
    siftDown(0);
  }
  return out;
}

/** Postings of documents given as ids into `vocabulary`; terms numbered as they first occur. */
function postingsOf(documents: Uint32Array[], vocabulary: string[]): Bm25Data {
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
  return { terms: order.map((id) => vocabulary[id]), offsets, docs, tfs, docLengths };
}

/** Consecutive segments as one: the same data postingsOf would give for all their documents. */
function mergeSegments(parts: Bm25Data[]): Bm25Data {
  const terms: string[] = [];
  const idOf = new Map<string, number>();
  for (const part of parts) for (const term of part.terms) if (!idOf.has(term)) idOf.set(term, terms.push(term) - 1);
  // each part's term ids in the merged numbering, and the merged lists' lengths
  const lengths = new Uint32Array(terms.length);
  const mapped = parts.map((part) =>
    Int32Array.from(part.terms, (term, id) => {
      const merged = idOf.get(term) as number;
      lengths[merged] += part.offsets[id + 1] - part.offsets[id];
      return merged;
    }),
  );
  const offsets = new Uint32Array(terms.length + 1);
  for (let t = 0; t < terms.length; t += 1) offsets[t + 1] = offsets[t] + lengths[t];
  const docs = new Uint32Array(offsets[terms.length]);
  const wide = parts.some((part) => part.tfs instanceof Uint32Array);
  const tfs = wide ? new Uint32Array(docs.length) : new Uint16Array(docs.length);
  const cursor = offsets.slice(0, terms.length);
  let base = 0;
  parts.forEach((part, p) => {
    for (let id = 0; id < part.terms.length; id += 1) {
      const merged = mapped[p][id];
      for (let i = part.offsets[id]; i < part.offsets[id + 1]; i += 1) {
        const at = cursor[merged]++;
        docs[at] = base + part.docs[i];
        tfs[at] = part.tfs[i];
      }
    }
    base += part.docLengths.length;
  });
  const docLengths = new Float64Array(base);
  let at = 0;
  for (const part of parts) {
    docLengths.set(part.docLengths, at);
    at += part.docLengths.length;
  }
  return { terms, offsets, docs, tfs, docLengths };
}

/** Term → how often it occurs; the query-side weights BM25 multiplies by. */
export function termWeights(terms: string[], weight = 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + weight);
  return counts;
}
