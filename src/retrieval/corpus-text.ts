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
  /** 16 bits while there are fewer than 32,768 essays */
  entries: Uint16Array | Uint32Array;
}

/** What an essay says about itself: a user may name it by title, author or journal. */
export function metadataText(essay: Essay): string {
  return [essay.title, ...essay.authors, essay.institution, essay.publication, ...essay.keywords].filter(Boolean).join('\n');
}

const pairKey = (text: string, i: number): number => text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);

/** An open-addressing table from pair key to a count, in typed arrays: ~22 million lookups at 1000× the essays. */
class PairTable {
  private capacity = 1 << 16;
  keys = new Uint32Array(this.capacity);
  used = new Uint8Array(this.capacity);
  counts = new Uint32Array(this.capacity);
  size = 0;

  slotOf(key: number): number {
    const mask = this.capacity - 1;
    let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    while (this.used[slot] === 1 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  add(key: number): void {
    let slot = this.slotOf(key);
    if (this.used[slot] === 0) {
      if ((this.size + 1) * 2 > this.capacity) {
        this.grow();
        slot = this.slotOf(key);
      }
      this.used[slot] = 1;
      this.keys[slot] = key;
      this.size += 1;
    }
    this.counts[slot] += 1;
  }

  private grow(): void {
    const { keys, used, counts } = this;
    this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity);
    this.used = new Uint8Array(this.capacity);
    this.counts = new Uint32Array(this.capacity);
    for (let slot = 0; slot < keys.length; slot += 1) {
      if (used[slot] === 0) continue;
      const to = this.slotOf(keys[slot]);
      this.used[to] = 1;
      this.keys[to] = keys[slot];
      this.counts[to] = counts[slot];
    }
  }
}

function buildPart(essays: Essay[]): CorpusTextData {
  const n = essays.length;
  const texts = [...essays.map((essay) => normalizeForMatch(essay.text)), ...essays.map((essay) => normalizeForMatch(metadataText(essay)))];
  const starts = new Uint32Array(2 * n + 1);
  texts.forEach((entry, e) => (starts[e + 1] = starts[e] + entry.length));
  // first pass: each entry's distinct pairs, sorted, one run after another; how many entries hold each pair
  let longest = 0;
  for (const entry of texts) longest = Math.max(longest, entry.length);
  const scratch = new Uint32Array(longest);
  let distinct = new Uint32Array(Math.max(16, starts[2 * n]));
  const runs = new Uint32Array(2 * n + 1);
  const table = new PairTable();
  let total = 0;
  texts.forEach((entry, e) => {
    const count = Math.max(0, entry.length - 1);
    const keys = scratch.subarray(0, count);
    for (let i = 0; i < count; i += 1) keys[i] = entry.charCodeAt(i) * 0x10000 + entry.charCodeAt(i + 1);
    keys.sort();
    for (let i = 0; i < count; i += 1) {
      if (i > 0 && keys[i] === keys[i - 1]) continue;
      distinct[total++] = keys[i];
      table.add(keys[i]);
    }
    runs[e + 1] = total;
  });
  distinct = distinct.subarray(0, total);
  // the pairs in order, and where each one's entries go
  const slots = new Uint32Array(table.size);
  let at = 0;
  for (let slot = 0; slot < table.used.length; slot += 1) if (table.used[slot] === 1) slots[at++] = slot;
  const keys = Uint32Array.from(slots, (slot) => table.keys[slot]).sort();
  const offsets = new Uint32Array(keys.length + 1);
  const cursor = new Uint32Array(table.used.length);
  keys.forEach((key, k) => {
    const slot = table.slotOf(key);
    offsets[k + 1] = offsets[k] + table.counts[slot];
    cursor[slot] = offsets[k];
  });
  // second pass: the entries in order, so every list comes out ascending
  const entries = 2 * n < 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
  for (let e = 0; e < 2 * n; e += 1) for (let i = runs[e]; i < runs[e + 1]; i += 1) entries[cursor[table.slotOf(distinct[i])]++] = e;
  // one string for all entries: an entry is a slice of it, not a copy
  return { ids: essays.map((essay) => essay.id), text: texts.join(''), starts, keys, offsets, entries };
}

/** The first index of the ascending `list` whose value is not below `value`. */
function lowerBound(list: Uint16Array | Uint32Array, value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of `key` in the ascending `keys`, or −1. */
function find(keys: Uint16Array | Uint32Array, key: number): number {
  const at = lowerBound(keys, key);
  return at < keys.length && keys[at] === key ? at : -1;
}

function contains(list: Uint16Array | Uint32Array, value: number): boolean {
  return find(list, value) >= 0;
}

type Where = 'body' | 'any';

const ESSAYS_READ_FOR_TYPO = 50;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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
   * Whether some essay's text has the needle with one character in its place changed ("一核多无"
   * for 一核多元): where a mistyped name is. The characters that differ are returned.
   */
  oneCharacterOff(needle: string, where: Where): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const chars = Array.from(needle);
    for (let i = 0; i < chars.length; i += 1) {
      const left = chars.slice(0, i).join('');
      const right = chars.slice(i + 1).join('');
      const longer = left.length >= right.length ? left : right;
      if (longer.length < 2) continue;
      const pattern = new RegExp(`${escapeRegExp(left)}(.)${escapeRegExp(right)}`, 'gu');
      // a part that common says little about which name was meant: a few essays are enough to read
      const ids = this.essaysWith(longer, where, ESSAYS_READ_FOR_TYPO);
      for (const part of this.parts) {
        const n = part.ids.length;
        for (const id of ids) {
          const essay = part.ids.indexOf(id);
          if (essay < 0) continue;
          for (const entry of where === 'body' ? [essay] : [essay, essay + n]) {
            for (const match of part.text.slice(part.starts[entry], part.starts[entry + 1]).matchAll(pattern)) {
              if (match[1] !== chars[i]) out.push([chars[i], match[1]]);
            }
          }
        }
      }
      if (out.length > 0) return out;
    }
    return out;
  }

  /**
   * The essays (ids) whose normalised text, or text or metadata, contains `needle` (already
   * normalised), as testing every essay with includes() finds them: all of them, in index order,
   * when there are at most `limit`; else `limit` of them.
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
        const lists: Array<Uint16Array | Uint32Array> = [];
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
