// Sound-alikes: typing Chinese by pinyin, a user who means 网格 may send 网各, and 党建 may
// arrive as 党见. A query term the essays never use is looked up by its toneless pinyin among
// the terms they do use; the same lookup reads pinyin written in Latin letters (Beichen → 北辰).
// Only unknown terms are looked up, so a correctly typed question is never changed.
import { createRequire } from 'node:module';
import { isBigramTerm } from './tokenize.ts';

let pinyin: typeof import('pinyin-pro').pinyin | undefined;

// pinyin-pro takes 0.1–0.3 s to import and only a question with a word the essays never use needs
// it: its CommonJS build is loaded, synchronously, when the first sound-alike table is built
function tonelessReading(c: string): string | undefined {
  pinyin ??= (createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return pinyin(c, { toneType: 'none', type: 'array' })[0];
}

const CJK = /^[\u3400-\u9fff\uf900-\ufaff]+$/;

/** Terms whose pinyin is looked up: 2–6 CJK characters (a bigram without its prefix). */
function soundChars(term: string): string | undefined {
  const chars = isBigramTerm(term) ? term.slice(1) : term;
  return chars.length < 2 || chars.length > 6 || !CJK.test(chars) ? undefined : chars;
}

/**
 * Each character's toneless reading, as the table uses it: `readings[i]` is that of the i-th
 * character of `chars`. Kept in the index cache, so that a fresh process builds its table
 * without loading pinyin-pro (0.3–0.4 s with its first lookups); a character not in it (a
 * question's, a later document's) is still looked up in pinyin-pro.
 */
export interface CharReadings {
  chars: string;
  readings: string[];
}

/** The readings of every character of the terms the table is made of. */
export function readingsOf(terms: Iterable<string>): CharReadings {
  const seen = new Map<string, string>();
  for (const term of terms) {
    const chars = soundChars(term);
    if (chars) for (const c of chars) if (!seen.has(c)) seen.set(c, tonelessReading(c) ?? c);
  }
  return { chars: [...seen.keys()].join(''), readings: [...seen.values()] };
}

export class SoundIndex {
  private readonly byKey = new Map<string, string[]>();
  private readonly charReading = new Map<string, string>();

  /** `terms`: the index's vocabulary (words and prefixed bigrams); `df`: how common each is; `known`: readings from the cache. */
  constructor(
    terms: Iterable<string>,
    private readonly df: (term: string) => number,
    known?: CharReadings,
  ) {
    if (known) for (let i = 0; i < known.readings.length; i += 1) this.charReading.set(known.chars[i], known.readings[i]);
    for (const term of terms) {
      const chars = soundChars(term);
      if (!chars) continue;
      const key = this.keyOf(chars);
      const list = this.byKey.get(key);
      if (list) list.push(term);
      else this.byKey.set(key, [term]);
    }
  }

  /** Toneless pinyin of each character, joined: 网格 → "wangge". */
  keyOf(chars: string): string {
    let key = '';
    for (const c of chars) {
      let reading = this.charReading.get(c);
      if (reading === undefined) {
        reading = tonelessReading(c) ?? c;
        this.charReading.set(c, reading);
      }
      key += reading;
    }
    return key;
  }

  /**
   * Known terms that sound like an unknown one, most common first: for a word, words; for a
   * bigram, bigrams.
   */
  alikes(term: string, limit = 2): string[] {
    const bigram = isBigramTerm(term);
    const chars = bigram ? term.slice(1) : term;
    if (!CJK.test(chars)) return [];
    return this.lookup(this.keyOf(chars), bigram, limit);
  }

  /** Terms whose pinyin is this Latin word ("beichen" → 北辰), words before bigrams. */
  fromPinyin(word: string, limit = 2): string[] {
    const key = word.toLowerCase().replace(/[^a-z]/g, '');
    if (key.length < 4) return [];
    const words = this.lookup(key, false, limit);
    return words.length > 0 ? words : this.lookup(key, true, limit).map((t) => t.slice(1));
  }

  private lookup(key: string, bigram: boolean, limit: number): string[] {
    return (this.byKey.get(key) ?? [])
      .filter((t) => isBigramTerm(t) === bigram)
      .sort((a, b) => this.df(b) - this.df(a))
      .slice(0, limit);
  }
}
