// The essays' text and metadata normalised for matching (normalizeForMatch), with an index of
// which of them hold each pair of adjacent characters. "Does any essay contain 甘肃" looks up the
// pairs of the needle and reads only the essays that have every one of them, instead of searching
// the whole corpus for every word of every question. Built with the index and kept in its cache.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Essay } from '../knowledge/types.ts';

/** One run of essays (those of a build, or those added since): what the index cache stores. */
export interface CorpusTextData {
  /** the essays, in the order of the entries below */
  ids: string[];
  /** the normalised texts one after another: the bodies of ids[0..n), then their metadata */
  text: string;
  /** entry e is text.slice(starts[e], starts[e + 1]): 2n + 1 boundaries */
  starts: Uint32Array;
  /** the distinct pairs of adjacent UTF-16 code units, ascending, as first · 65536 + second */
  keys: Uint32Array;
  /** the entries holding keys[k] are entries[offsets[k] .. offsets[k + 1]), ascending */
  offsets: Uint32Array;
  entries: Uint32Array;
}

/** What an essay says about itself: a user may name it by title, author or journal. */
export function metadataText(essay: Essay): string {
  return [essay.title, ...essay.authors, essay.institution, essay.publication, ...essay.keywords].filter(Boolean).join('\n');
}

const pairKey = (text: string, i: number): number => text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);
// an entry id and a pair key in one float64, exactly: entries below 2^21, keys below 2^32
const ENTRY_BITS = 2 ** 21;

function buildPart(essays: Essay[]): CorpusTextData {
  const n = essays.length;
  if (2 * n >= ENTRY_BITS) throw new Error(`corpus text: too many essays (${n})`);
  const texts = [...essays.map((essay) => normalizeForMatch(essay.text)), ...essays.map((essay) => normalizeForMatch(metadataText(essay)))];
  const starts = new Uint32Array(texts.length + 1);
  texts.forEach((text, e) => (starts[e + 1] = starts[e] + text.length));
  // every entry's distinct pairs, tagged with the entry, sorted by pair and then entry
  const perEntry = texts.map((text) => {
    const keys = new Float64Array(Math.max(0, text.length - 1));
    for (let i = 0; i + 1 < text.length; i += 1) keys[i] = pairKey(text, i);
    keys.sort();
    return keys;
  });
  let total = 0;
  for (const keys of perEntry) for (let i = 0; i < keys.length; i += 1) if (i === 0 || keys[i] !== keys[i - 1]) total += 1;
  const tagged = new Float64Array(total);
  let at = 0;
  perEntry.forEach((keys, e) => {
    for (let i = 0; i < keys.length; i += 1) if (i === 0 || keys[i] !== keys[i - 1]) tagged[at++] = keys[i] * ENTRY_BITS + e;
  });
  tagged.sort();
  let distinct = 0;
  for (let i = 0; i < total; i += 1) if (i === 0 || Math.floor(tagged[i] / ENTRY_BITS) !== Math.floor(tagged[i - 1] / ENTRY_BITS)) distinct += 1;
  const keys = new Uint32Array(distinct);
  const offsets = new Uint32Array(distinct + 1);
  const entries = new Uint32Array(total);
  let k = -1;
  for (let i = 0; i < total; i += 1) {
    const key = Math.floor(tagged[i] / ENTRY_BITS);
    if (k < 0 || keys[k] !== key) {
      k += 1;
      keys[k] = key;
      offsets[k] = i;
    }
    entries[i] = tagged[i] - key * ENTRY_BITS;
  }
  offsets[distinct] = total;
  return { ids: essays.map((essay) => essay.id), text: texts.join(''), starts, keys, offsets, entries };
}

/** Index of `key` in the ascending `keys`, or −1. */
function find(keys: Uint32Array, key: number): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle] < key) low = middle + 1;
    else high = middle;
  }
  return low < keys.length && keys[low] === key ? low : -1;
}

function contains(list: Uint32Array, value: number): boolean {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low < list.length && list[low] === value;
}

type Where = 'body' | 'any';

export class CorpusText {
  private constructor(private readonly parts: CorpusTextData[]) {}

  static build(essays: Essay[]): CorpusText {
    return new CorpusText([buildPart(essays)]);
  }

  static fromData(parts: CorpusTextData[]): CorpusText {
    return new CorpusText(parts);
  }

  /** With `added` essays after these: the first run is shared, the essays added before are indexed again with them. */
  withEssays(added: Essay[], essayOf: (id: string) => Essay | undefined): CorpusText {
    const [first, ...rest] = this.parts;
    const earlier = rest.flatMap((part) => part.ids.map((id) => essayOf(id))).filter((essay): essay is Essay => essay !== undefined);
    return new CorpusText([first, buildPart([...earlier, ...added])]);
  }

  toData(): CorpusTextData[] {
    return this.parts;
  }

  /** Whether some essay's normalised text (or also its metadata: `any`) contains the normalised needle. */
  has(needle: string, where: Where): boolean {
    return this.essaysWith(needle, where, 1).length > 0;
  }

  /**
   * The first `limit` essays (by id, in index order) whose normalised text, or text or metadata,
   * contains `needle` (already normalised). The same as testing every essay with includes().
   */
  essaysWith(needle: string, where: Where, limit: number): string[] {
    const out: string[] = [];
    for (const part of this.parts) {
      const n = part.ids.length;
      const matched = new Set<number>();
      const visit = (entry: number): boolean => {
        const essay = entry < n ? entry : entry - n;
        if (matched.has(essay) || (where === 'body' && entry >= n)) return false;
        if (!part.text.slice(part.starts[entry], part.starts[entry + 1]).includes(needle)) return false;
        matched.add(essay);
        return true;
      };
      if (needle.length < 2) {
        // no pair to look up: read every entry (an empty or one-character needle is rare)
        for (let entry = 0; entry < 2 * n && matched.size + out.length < limit; entry += 1) visit(entry);
      } else {
        const lists: Uint32Array[] = [];
        for (let i = 0; i + 1 < needle.length; i += 1) {
          const k = find(part.keys, pairKey(needle, i));
          if (k < 0) {
            lists.length = 0;
            break;
          }
          lists.push(part.entries.subarray(part.offsets[k], part.offsets[k + 1]));
        }
        if (lists.length > 0) {
          lists.sort((a, b) => a.length - b.length);
          const [shortest, ...others] = lists;
          for (let i = 0; i < shortest.length && matched.size + out.length < limit; i += 1) {
            const entry = shortest[i];
            if (others.every((list) => contains(list, entry))) visit(entry);
          }
        }
      }
      // essays in index order: bodies and metadata of the same essay count once
      for (const essay of [...matched].sort((a, b) => a - b)) if (out.length < limit) out.push(part.ids[essay]);
      if (out.length >= limit) break;
    }
    return out;
  }
}
