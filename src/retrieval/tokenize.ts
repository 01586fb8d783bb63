import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import { startWorkerSegmenter, type Segmenter, type WorkerSegmenter } from './segmenter-worker.ts';
import { TermTable } from './term-table.ts';

let jieba: Segmenter | undefined;
let worker: { get(): WorkerSegmenter | undefined } | undefined;
/** texts to cut in one trip to the worker, once its dictionary is there */
let prefetch: (() => string[]) | undefined;
/** their words (normalised text → words), each the same as cutting it one by one */
let prefetched: Map<string, string[]> | undefined;

// The default dictionary is read from its own file: the package's dict.js also reads a 6 MB idf
// table nothing here uses.
const dictPath = (): string => createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
// the native module is loaded here only when this thread loads a dictionary (not with the worker)
const loadHere = (): Segmenter =>
  (createRequire(import.meta.url)('@node-rs/jieba') as { Jieba: typeof Jieba }).Jieba.withDict(readFileSync(dictPath()));

/**
 * Loads the dictionary in a worker thread from now on, beside whatever this thread does next;
 * words come from there (see segmenter-worker.ts). For a process that answers soon after it starts.
 * `texts`: ones it will surely cut (the everyday lexicon's entries, at its first question), cut
 * in a single trip to the worker instead of one each (~800 trips of 40–150 µs).
 */
export function preloadSegmenterInWorker(texts?: () => string[]): void {
  if (jieba || worker) return;
  worker = startWorkerSegmenter({ dictPath: dictPath(), fallback: loadHere });
  prefetch = texts;
}

// Loading the dictionary takes ~0.2 s, so do it once, on first use (or in the worker, above).
function segmenter(): Segmenter {
  if (jieba) return jieba;
  const remote = worker?.get();
  if (remote && prefetch) {
    const texts = [...new Set(prefetch().map(normalizeText))];
    const words = remote.cutMany(texts);
    if (words) prefetched = new Map(texts.map((text, i) => [text, words[i]]));
  }
  jieba = remote ?? loadHere();
  return jieba;
}

// Function words and question words that carry no topic; queries are full of them.
export const STOP_WORDS = new Set(
  (
    '的 了 和 与 及 或 而 在 是 为 对 以 于 把 被 将 从 向 由 等 也 都 就 还 又 并 且 其 之 这 那 这些 那些 这个 那个 这样 那样 ' +
    '我 我们 你 你们 他 他们 它 它们 自己 有 没有 要 能 会 可以 应该 需要 一个 一些 什么 怎么 怎样 如何 哪些 哪个 为什么 多少 ' +
    '吗 呢 吧 啊 呀 么 嘛 请 请问 说说 讲讲 谈谈 介绍 一下 具体 主要 方面 问题 情况 内容 文章 文中 提到 提出 认为 方面 ' +
    '怎么办 怎么样 怎么做 咋办 咋 哪里 干 做 办 搞 好 呢 么 啥 是否 有没有 能否 到底 '+
    '总 总的 往 哪 哪儿 哪几个 哪几 几个 几项 大家 以后 之后 以前 再说 谁 人 现在 时候 时 什么样 什么时候 一共 为啥 还要 跟 给 让 去 ' +
    '那种 这种 可 来 用 干什么 干嘛 不 没 很 太 最 更 比较 特别 一直 经常 总是 到底 究竟 一般 基本 基本上 都是 其他 别的 ' +
    '能不能 会不会 是不是 要不要 行不行 呀 哦 嗯 吧 了吗 过 着 得 地 所以说 然后 另外 比如 例如 一下子 起来 出来 下去 ' +
    '手里 手上 入手 着手 下手 从哪 哪些方面 一步 一步一步 老是 老 为了 有啥 啥样 什么样子 ' +
    '通过 进行 不断 进一步 更加 以及 其中 因此 所以 但是 但 如果 因为 就是 还是 即 则 所 该 此 各 每 个 中 上 下 里 ' +
    // spoken discourse markers: how the user talks, never what the question is about
    '说白了 说实话 老实说 讲真 说真的 话说 简单说 简单来说 通俗点 通俗地说 通俗来讲 换句话说 咋回事 怎么回事'
  ).split(/\s+/),
);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

export function normalizeText(text: string): string {
  // full-width ASCII → half-width, lower case
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toLowerCase();
}

function cut(text: string): string[] {
  const normalized = normalizeText(text);
  const known = prefetched?.get(normalized);
  // a copy: the caller may change its list
  return known ? [...known] : segmenter().cut(normalized, false);
}

/** Words with their part-of-speech tags (jieba's: ns place, nr person, nt organisation, m numeral …). */
export function taggedWords(text: string): Array<{ word: string; tag: string }> {
  return segmenter()
    .tag(normalizeText(text), false)
    .map(({ word, tag }) => ({ word: word.trim(), tag }))
    .filter(({ word }) => word !== '');
}

function isContentWord(w: string): boolean {
  return w.trim() !== '' && WORD_CHAR.test(w) && !STOP_WORDS.has(w);
}

/** Segmented words without punctuation and stop words. */
export function words(text: string): string[] {
  return cut(text)
    .map((w) => w.trim())
    .filter((w) => isContentWord(w) && !(w.length === 1 && !CJK.test(w)));
}

const BIGRAM_PREFIX = '\u00b7'; // keeps bigrams apart from two-character words

/**
 * Index terms: segmented words plus prefixed character bigrams. Bigrams run inside stretches of
 * CJK content words (stop words and punctuation break a stretch): robust to segmentation errors
 * without matching on "怎么" or "的". Single-character words count only through bigrams.
 */
export function indexTerms(text: string, ignore?: { has(word: string): boolean }): string[] {
  const tokens = cut(text);
  const terms: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    for (let i = 0; i + 1 < run.length; i += 1) terms.push(BIGRAM_PREFIX + run[i] + run[i + 1]);
    run = [];
  };
  for (const raw of tokens) {
    const w = raw.trim();
    if (!isContentWord(w) || ignore?.has(w)) {
      flush();
      continue;
    }
    if (w.length > 1 || !CJK.test(w)) terms.push(w);
    if (!CJK.test(w)) {
      flush();
      continue;
    }
    for (const c of w) if (CJK.test(c)) run.push(c);
  }
  flush();
  return terms;
}

const isCjkUnit = (unit: number): boolean => (unit >= 0x3400 && unit <= 0x9fff) || (unit >= 0xf900 && unit <= 0xfaff);

/** What indexTerms does with a token: the word's id (or -1), and the CJK characters it adds to the run (none: it ends the run). */
interface TokenRole {
  id: number;
  run: Uint16Array | undefined;
}

/**
 * indexTerms as ids into a TermTable, for a build: the same ids in the same order as
 * table.encode(indexTerms(text)), without a string per bigram or a test per character. What a
 * token does is worked out once per distinct token; a bigram is looked up by its two characters.
 */
export class TermEncoder {
  private readonly roles = new Map<string, TokenRole>();
  private readonly pairs = new Map<number, number>();
  private readonly out: number[] = [];
  private readonly run: number[] = [];

  constructor(readonly table = new TermTable()) {}

  private roleOf(raw: string): TokenRole {
    const w = raw.trim();
    if (!isContentWord(w)) return { id: -1, run: undefined };
    const cjk = CJK.test(w);
    const id = w.length > 1 || !cjk ? this.table.idOf(w) : -1;
    if (!cjk) return { id, run: undefined };
    const units: number[] = [];
    for (let i = 0; i < w.length; i += 1) if (isCjkUnit(w.charCodeAt(i))) units.push(w.charCodeAt(i));
    return { id, run: Uint16Array.from(units) };
  }

  private pairId(first: number, second: number): number {
    const key = first * 0x10000 + second;
    let id = this.pairs.get(key);
    if (id === undefined) this.pairs.set(key, (id = this.table.idOf(BIGRAM_PREFIX + String.fromCharCode(first, second))));
    return id;
  }

  encode(text: string): Uint32Array {
    const { out, run } = this;
    out.length = 0;
    run.length = 0;
    // a run's bigrams follow its words, as indexTerms adds them when the run ends
    const flush = (): void => {
      for (let i = 0; i + 1 < run.length; i += 1) out.push(this.pairId(run[i], run[i + 1]));
      run.length = 0;
    };
    for (const raw of cut(text)) {
      let role = this.roles.get(raw);
      if (!role) this.roles.set(raw, (role = this.roleOf(raw)));
      if (role.id >= 0) out.push(role.id);
      if (role.run) for (const unit of role.run) run.push(unit);
      else flush();
    }
    flush();
    return Uint32Array.from(out);
  }
}

export function bigramTerm(pair: string): string {
  return BIGRAM_PREFIX + pair;
}

export function isBigramTerm(term: string): boolean {
  return term.startsWith(BIGRAM_PREFIX);
}

/** Character bigrams of the content words (without prefix), for text similarity. */
/** Every pair of adjacent characters of a word, as they are (no tokenising, no stop words). */
export function characterPairs(word: string): string[] {
  const chars = Array.from(word);
  return chars.slice(1).map((c, i) => chars[i] + c);
}

export function bigrams(text: string): string[] {
  return indexTerms(text)
    .filter(isBigramTerm)
    .map((term) => term.slice(BIGRAM_PREFIX.length));
}
