// Each passage's distinct character bigrams as sorted integers (two UTF-16 code units in one
// uint32), for telling near-duplicate passages apart while ranking. Built from the terms the
// index already has and kept in the cache, so a query compares integer arrays instead of
// segmenting every candidate passage again; without them they are computed on first use.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { bigrams, isBigramTerm } from './tokenize.ts';

export interface PassageGramsData {
  /** the bigrams of passage p are keys[offsets[p] .. offsets[p + 1]), ascending */
  offsets: Uint32Array;
  keys: Uint32Array;
  /** a hash of each passage's normalised text: equal texts are compared only when these agree */
  textHashes: Uint32Array;
}

// a bigram is two CJK characters of the Basic Multilingual Plane: one code unit each
const keyOf = (pair: string): number => pair.charCodeAt(0) * 0x10000 + pair.charCodeAt(pair.length - 1);

function distinctKeys(pairs: Iterable<string>): Uint32Array {
  const keys = new Set<number>();
  for (const pair of pairs) keys.add(keyOf(pair));
  return Uint32Array.from(keys).sort();
}

/** FNV-1a over UTF-16 code units. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

export class PassageGrams {
  private readonly computed = new Map<number, Uint32Array>();

  constructor(
    private readonly texts: string[],
    private readonly data?: PassageGramsData,
  ) {}

  /** From each passage's index terms (of its text alone): their bigram terms are its bigrams. */
  static fromTerms(texts: string[], terms: string[][]): PassageGrams {
    return PassageGrams.fromLists(texts, terms.map((list) => distinctKeys(list.filter(isBigramTerm).map((term) => term.slice(1)))));
  }

  /** As fromTerms, with each passage's terms as ids into `vocabulary` (see TermTable). */
  static fromTermIds(texts: string[], docs: Uint32Array[], vocabulary: string[]): PassageGrams {
    const keyOfTerm = Float64Array.from(vocabulary, (term) => (isBigramTerm(term) ? keyOf(term.slice(1)) : -1));
    const lists = docs.map((doc) => {
      const keys = new Set<number>();
      for (const id of doc) if (keyOfTerm[id] >= 0) keys.add(keyOfTerm[id]);
      return Uint32Array.from(keys).sort();
    });
    return PassageGrams.fromLists(texts, lists);
  }

  private static fromLists(texts: string[], lists: Uint32Array[]): PassageGrams {
    const offsets = new Uint32Array(lists.length + 1);
    lists.forEach((list, p) => (offsets[p + 1] = offsets[p] + list.length));
    const keys = new Uint32Array(offsets[lists.length]);
    lists.forEach((list, p) => keys.set(list, offsets[p]));
    const textHashes = Uint32Array.from(texts, (text) => hashText(normalizeForMatch(text)));
    return new PassageGrams(texts, { offsets, keys, textHashes });
  }

  toData(): PassageGramsData | undefined {
    return this.data;
  }

  private gramsOf(doc: number): Uint32Array {
    if (this.data) return this.data.keys.subarray(this.data.offsets[doc], this.data.offsets[doc + 1]);
    let grams = this.computed.get(doc);
    if (!grams) this.computed.set(doc, (grams = distinctKeys(bigrams(this.texts[doc]))));
    return grams;
  }

  private sameText(a: number, b: number): boolean {
    if (this.data && this.data.textHashes[a] !== this.data.textHashes[b]) return false;
    return normalizeForMatch(this.texts[a]) === normalizeForMatch(this.texts[b]);
  }

  /** The same text, or at least `threshold` of the smaller passage's bigrams in the other. */
  nearDuplicate(a: number, b: number, threshold: number): boolean {
    const x = this.gramsOf(a);
    const y = this.gramsOf(b);
    if (this.sameText(a, b)) return true;
    const smaller = x.length <= y.length ? x : y;
    const larger = smaller === x ? y : x;
    if (smaller.length === 0) return false;
    let shared = 0;
    for (let i = 0, j = 0; i < smaller.length && j < larger.length; ) {
      if (smaller[i] === larger[j]) {
        shared += 1;
        i += 1;
        j += 1;
      } else if (smaller[i] < larger[j]) i += 1;
      else j += 1;
    }
    return shared / smaller.length >= threshold;
  }
}
