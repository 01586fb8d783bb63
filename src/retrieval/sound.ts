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

export class SoundIndex {
  private readonly byKey = new Map<string, string[]>();
  private readonly charReading = new Map<string, string>();

  /** `terms`: the index's vocabulary (words and prefixed bigrams); `df`: how common each is. */
  constructor(
    terms: Iterable<string>,
    private readonly df: (term: string) => number,
  ) {
    for (const term of terms) {
      const chars = isBigramTerm(term) ? term.slice(1) : term;
      if (chars.length < 2 || chars.length > 6 || !CJK.test(chars)) continue;
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
