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
  /** the passages of a build, and those added since (their ids follow): each with its own arrays */
  private readonly parts: Array<{ base: number; data: PassageGramsData }> = [];

  constructor(
    private readonly texts: string[],
    data?: PassageGramsData | PassageGramsData[],
  ) {
    let base = 0;
    for (const part of data === undefined ? [] : Array.isArray(data) ? data : [data]) {
      this.parts.push({ base, data: part });
      base += part.textHashes.length;
    }
  }

  /** From each passage's index terms (of its text alone): their bigram terms are its bigrams. */
  static fromTerms(texts: string[], terms: string[][]): PassageGrams {
    return new PassageGrams(texts, dataOf(texts, terms.map((list) => distinctKeys(list.filter(isBigramTerm).map((term) => term.slice(1))))));
  }

  /** As fromTerms, with each passage's terms as ids into `vocabulary` (see TermTable). */
  static fromTermIds(texts: string[], docs: Uint32Array[], vocabulary: string[]): PassageGrams {
    return new PassageGrams(texts, dataOfTermIds(texts, docs, vocabulary));
  }

  /**
   * With passages added after these (`texts` holds all of them, old and new): the built part is
   * shared, the passages added before are joined with the new ones.
   */
  withPassages(texts: string[], added: Uint32Array[], vocabulary: string[]): PassageGrams {
    if (this.parts.length === 0) return new PassageGrams(texts);
    const [first, ...rest] = this.parts;
    const addedData = dataOfTermIds(texts.slice(texts.length - added.length), added, vocabulary);
    return new PassageGrams(texts, [first.data, concatData([...rest.map((part) => part.data), addedData])]);
  }

  toData(): PassageGramsData[] | undefined {
    return this.parts.length > 0 ? this.parts.map((part) => part.data) : undefined;
  }

  private partOf(doc: number): { base: number; data: PassageGramsData } | undefined {
    for (const part of this.parts) if (doc >= part.base && doc < part.base + part.data.textHashes.length) return part;
    return undefined;
  }

  private gramsOf(doc: number): Uint32Array {
    const part = this.partOf(doc);
    if (part) return part.data.keys.subarray(part.data.offsets[doc - part.base], part.data.offsets[doc - part.base + 1]);
    let grams = this.computed.get(doc);
    if (!grams) this.computed.set(doc, (grams = distinctKeys(bigrams(this.texts[doc]))));
    return grams;
  }

  private sameText(a: number, b: number): boolean {
    const x = this.partOf(a);
    const y = this.partOf(b);
    if (x && y && x.data.textHashes[a - x.base] !== y.data.textHashes[b - y.base]) return false;
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

function dataOfTermIds(texts: string[], docs: Uint32Array[], vocabulary: string[]): PassageGramsData {
  const keyOfTerm = Float64Array.from(vocabulary, (term) => (isBigramTerm(term) ? keyOf(term.slice(1)) : -1));
  const lists = docs.map((doc) => {
    const keys = new Set<number>();
    for (const id of doc) if (keyOfTerm[id] >= 0) keys.add(keyOfTerm[id]);
    return Uint32Array.from(keys).sort();
  });
  return dataOf(texts, lists);
}

function dataOf(texts: string[], lists: Uint32Array[]): PassageGramsData {
  const offsets = new Uint32Array(lists.length + 1);
  lists.forEach((list, p) => (offsets[p + 1] = offsets[p] + list.length));
  const keys = new Uint32Array(offsets[lists.length]);
  lists.forEach((list, p) => keys.set(list, offsets[p]));
  const textHashes = Uint32Array.from(texts, (text) => hashText(normalizeForMatch(text)));
  return { offsets, keys, textHashes };
}

/** Consecutive parts as one. */
function concatData(parts: PassageGramsData[]): PassageGramsData {
  if (parts.length === 1) return parts[0];
  const count = parts.reduce((sum, part) => sum + part.textHashes.length, 0);
  const offsets = new Uint32Array(count + 1);
  const keys = new Uint32Array(parts.reduce((sum, part) => sum + part.keys.length, 0));
  const textHashes = new Uint32Array(count);
  let doc = 0;
  let key = 0;
  for (const part of parts) {
    const n = part.textHashes.length;
    for (let p = 0; p < n; p += 1) offsets[doc + p + 1] = key + part.offsets[p + 1];
    keys.set(part.keys, key);
    textHashes.set(part.textHashes, doc);
    doc += n;
    key += part.keys.length;
  }
  return { offsets, keys, textHashes };
}
