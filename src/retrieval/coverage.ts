// Whether the best passages cover a question: how much of its idf-weighted words they hold (with
// the essays' words for everyday ones, sound-alikes and the essay a question names), and how much
// of what it is about the essays know at all. The retriever's decision (covered, partly, not)
// weighs these with the checks for names, figures and lists (answerable.ts).
import type { Chunk, Essay } from '../knowledge/types.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Bm25Index } from './bm25.ts';
import { termWeight, type TermGroup } from './query.ts';
import type { SoundIndex } from './sound.ts';
import { metadataText, type CorpusText } from './corpus-text.ts';
import { bigramTerm, indexTerms, isBigramTerm, taggedWords } from './tokenize.ts';

const NUMERAL_CHARACTER = /[一二三四五六七八九十两百千万零〇]/;

export class CoverageJudge {
  constructor(
    private readonly bm25: Bm25Index,
    private readonly chunks: Chunk[],
    private readonly essaysById: Map<string, Essay>,
    /** built on first use */
    private readonly corpus: () => CorpusText,
    private readonly sounds: () => SoundIndex,
  ) {}

  /**
   * How much of what the question is about the essays know at all. "明天北京天气" shares 北京
   * with an essay, but 天气, its topic, is a word no essay uses.
   */
  familiarity(groups: TermGroup[]): number {
    // (an idiom the essays never use that names nothing, "差不多", says how, not what about)
    const words = groups.filter((g) => !isBigramTerm(g.term) && !spoken(g.term) && (g.tag === undefined || /^(n|vn)/.test(g.tag) || (g.tag === 'l' && (this.isKnown(g) || !idiomIsTalk(g.term)))));
    const weightOf = (g: TermGroup): number => this.bm25.idf(g.term) * g.weight;
    // a name the dictionary does not know ("芦篙村", "两定一查") reaches the query only as bigrams;
    // spelled out in the essays, it is a thing they know
    const names = this.unsegmentedNames(groups);
    const total = words.reduce((sum, g) => sum + weightOf(g), 0) + names.reduce((sum, n) => sum + n.weight, 0);
    if (total === 0) return 1;
    const known = words.filter((g) => this.isKnown(g)).reduce((sum, g) => sum + weightOf(g), 0) + names.reduce((sum, n) => sum + n.weight, 0);
    return known / total;
  }

  /**
   * Runs of overlapping bigrams (芦篙, 篙村 → 芦篙村) of three or more characters that no word of the
   * query spans and the essays' text holds, each weighed as its rarest bigram.
   */
  private unsegmentedNames(groups: TermGroup[]): Array<{ text: string; weight: number }> {
    const words = groups.filter((g) => !isBigramTerm(g.term)).map((g) => g.term);
    const names: Array<{ text: string; weight: number }> = [];
    let run: TermGroup[] = [];
    const close = (): void => {
      if (run.length >= 2) {
        const text = run[0].term.slice(-2) + run.slice(1).map((g) => g.term.slice(-1)).join('');
        if (!spannedByWords(text, words) && this.corpus().has(normalizeForMatch(text), 'body')) {
          names.push({ text, weight: Math.max(...run.map((g) => this.bm25.idf(g.term))) * Math.min(...run.map((g) => g.weight)) });
        }
      }
      run = [];
    };
    for (const group of groups) {
      if (!isBigramTerm(group.term)) continue;
      const last = run.at(-1);
      if (last && last.term.slice(-1) !== group.term.slice(-2, -1)) close();
      run.push(group);
    }
    close();
    return names;
  }

  isKnown(group: TermGroup): boolean {
    if (isFound(group, { has: (term) => this.bm25.documentFrequency(term) > 0 })) return true;
    // a word with one character mistyped (结队 for 结对) is known by its sound-alike; a word that
    // only sounds like another (医院, 亿元) is not
    if (group.alikes?.some((alike) => oneCharacterApart(alike, group.term) && this.bm25.documentFrequency(alike) > 0)) return true;
    // segmented differently in the essays (甘肃 inside 甘肃省) is still a word they use; a word only
    // in an author's affiliation (北京市民政局) says nothing about what the essays cover
    if (isBigramTerm(group.term) || Array.from(group.term).length < 2) return false;
    return this.corpus().has(normalizeForMatch(group.term), 'body');
  }

  /**
   * A name of four or more characters the essays have with one character changed ("一核多无" for
   * 一核多元, "四增两咸" for 四增两减). A changed numeral is another name: 三治融合 is not 六治融合.
   */
  mistyped(text: string): boolean {
    const needle = normalizeForMatch(text);
    if (Array.from(needle).length < 4 || /\d/.test(needle)) return false;
    const changes = this.corpus().oneCharacterOff(needle, 'any');
    return changes.length > 0 && changes.every(([typed, written]) => !NUMERAL_CHARACTER.test(typed) && !NUMERAL_CHARACTER.test(written));
  }

  /** A mistyped name ("组之力" for 组织力): every bigram of it is, or sounds like, one the essays use. */
  soundsKnown(text: string): boolean {
    const chars = Array.from(text.replace(/[^\u3400-\u9fff]/gu, ''));
    if (chars.length < 2) return false;
    const sounds = this.sounds();
    for (let i = 0; i + 1 < chars.length; i += 1) {
      const gram = bigramTerm(chars[i] + chars[i + 1]);
      if (this.bm25.documentFrequency(gram) === 0 && sounds.alikes(gram, 1).length === 0) return false;
    }
    return true;
  }

  /** Coverage of the best passage, with the question's words it has and lacks. */
  judge(groups: TermGroup[], docs: number[], withMetadata: boolean, comparison = false): { relevance: number; found: string[]; missing: string[] } {
    const relevance = this.coverage(groups, docs, withMetadata, comparison);
    const best = docs[0];
    if (best === undefined) return { relevance, found: [], missing: groups.filter((g) => !isBigramTerm(g.term)).map((g) => g.term) };
    const terms = this.termsOf(best, withMetadata);
    const words = groups.filter((g) => !isBigramTerm(g.term));
    return {
      relevance,
      found: words.filter((g) => isFound(g, terms)).map((g) => g.term),
      missing: words.filter((g) => !isFound(g, terms)).map((g) => g.term),
    };
  }

  /**
   * Share of the query's idf mass found in the best passage: words count double (they are the
   * precise signal); a term counts as found when it or one of its everyday-word alternatives is.
   */
  coverage(groups: TermGroup[], docs: number[], withMetadata = false, comparison = false): number {
    const judged = groups.filter((group) => this.evidenceWeight(group) > 0);
    if (judged.length === 0 || docs.length === 0) return 0;
    const scale = new Map(judged.map((group) => [group.term, this.evidenceWeight(group) * group.weight]));
    const weightOf = (term: string): number => termWeight(this.bm25.idf(term), term) * (scale.get(term) ?? 1);
    const total = judged.reduce((sum, group) => sum + weightOf(group.term), 0);
    let best = 0;
    for (const doc of docs) {
      const terms = this.termsOf(doc, withMetadata);
      const essayId = this.chunks[doc].essayId;
      const credit = (group: TermGroup): number =>
        isFound(group, terms) || (withMetadata && this.identifiesEssay(group.term, essayId)) ? 1 : group.alikes?.some((t) => terms.has(t)) ? 0.5 : 0;
      const found = judged.reduce((sum, group) => sum + credit(group) * weightOf(group.term), 0);
      best = Math.max(best, found / (total - unfoundBackground(judged, (group) => credit(group) > 0, weightOf)));
    }
    if (comparison) {
      // the best passage of each of the first two essays among the passages, read as one
      const firstOfEssay = new Map<string, number>();
      for (const doc of docs) if (!firstOfEssay.has(this.chunks[doc].essayId)) firstOfEssay.set(this.chunks[doc].essayId, doc);
      const pair = [...firstOfEssay.values()].slice(0, 2);
      if (pair.length === 2) {
        const each = pair.map((doc) => this.termsOf(doc, withMetadata));
        const terms = { has: (term: string): boolean => each.some((passage) => passage.has(term)) };
        const named = (group: TermGroup): boolean => withMetadata && pair.some((doc) => this.identifiesEssay(group.term, this.chunks[doc].essayId));
        const has = (group: TermGroup): boolean => isFound(group, terms) || named(group);
        const found = judged.reduce((sum, group) => sum + (has(group) ? weightOf(group.term) : 0), 0);
        best = Math.max(best, found / (total - unfoundBackground(judged, has, weightOf)));
      }
    }
    return best;
  }

  /**
   * Whether a term of the question can tell covered from not. A word the essays never use says
   * little when it is talk (跟得上, 靠谱, 咋整: verbs, adjectives, adverbs) and much when it is a
   * thing (垃圾分类, 物业: nouns): unknown non-nouns count half, unknown bigrams not at all. An
   * idiom the essays never use is talk too (差不多), unless it is a name (个人所得税).
   */
  private evidenceWeight(group: TermGroup): number {
    if (this.isKnown(group) || group.alikes) return 1;
    if (isBigramTerm(group.term)) return 0;
    return !spoken(group.term) && (group.tag === undefined || /^(n|vn)/.test(group.tag) || (group.tag === 'l' && !idiomIsTalk(group.term))) ? 1 : 0.5;
  }

  private readonly essaysNaming = new Map<string, string[]>();

  /**
   * Whether a word of a question that names an essay ("甘肃那篇", "以邵武为例的那篇") points at
   * this one: the word is in the essay (text or metadata) and in at most one other.
   */
  private identifiesEssay(term: string, essayId: string): boolean {
    if (isBigramTerm(term) || Array.from(term).length < 2) return false;
    let naming = this.essaysNaming.get(term);
    if (!naming) {
      // three are enough to tell: more than two essays name none of them
      naming = this.corpus().essaysWith(normalizeForMatch(term), 'any', 3);
      // the words users type are unbounded: keep the cache from growing with them
      if (this.essaysNaming.size >= 5000) this.essaysNaming.clear();
      this.essaysNaming.set(term, naming);
    }
    return naming.length <= 2 && naming.includes(essayId);
  }

  /**
   * A passage's terms for judging coverage, with its essay's title, authors and source: the
   * lexical index's postings say which terms the passage has (the terms of its heading and text,
   * as tokenising them would give), so no passage is tokenised again.
   */
  private termsOf(doc: number, withMetadata: boolean): { has(term: string): boolean } {
    const chunk = this.chunks[doc];
    const essay = withMetadata ? this.essaysById.get(chunk.essayId) : undefined;
    const metadata = essay ? this.metadataTerms(essay) : undefined;
    // a word the passage holds inside a longer one (高速 in 高速公路) is there too
    const text = indexedText(chunk);
    return {
      has: (term) => this.bm25.has(doc, term) || (metadata?.has(term) ?? false) || (!isBigramTerm(term) && term.length >= 2 && text.includes(term)),
    };
  }

  private readonly metadataCache = new Map<string, Set<string>>();

  private metadataTerms(essay: Essay): Set<string> {
    let terms = this.metadataCache.get(essay.id);
    if (!terms) {
      terms = new Set(indexTerms(metadataText(essay)));
      this.metadataCache.set(essay.id, terms);
    }
    return terms;
  }
}

/**
 * A word said with 儿 (事儿, 玩意儿, 活儿, 点儿): the spoken form of a general word, how people
 * talk rather than what they ask about. The essays are written, so they never use it. (In 孤儿,
 * 婴儿, 女儿 the 儿 is a child: those are things.)
 */
function spoken(word: string): boolean {
  return /^[\u4e00-\u9fff]{1,2}儿$/.test(word) && !CHILD.test(word);
}
const CHILD = /^(?:女|孤|婴|幼|患|胎|健|男|侄|孙|新生|早产|弃)儿$/;

/**
 * Whether an idiom (jieba's tag l) says how rather than names what: 差不多 (不, 多) holds no noun
 * after its first character, 个人所得税 (人, 所得税) does.
 */
function idiomIsTalk(idiom: string): boolean {
  return !taggedWords(idiom.slice(1)).some(({ word, tag }) => tag.startsWith('n') && Array.from(word).length >= 2);
}

/**
 * The weight of the background's terms (the sentences around the one that asks: "我在天津北辰区一个
 * 街道上班,单位让每人写一份学习心得") that a passage lacks. They help find the passage and count
 * where it has them; where it does not, they are the asker's situation, not what is asked, and do
 * not dilute the coverage of the question itself.
 */
function unfoundBackground(judged: TermGroup[], found: (group: TermGroup) => boolean, weightOf: (term: string) => number): number {
  return judged.reduce((sum, group) => sum + (group.weight < 1 && !found(group) ? weightOf(group.term) : 0), 0);
}

/** A term of the question is found where it, an alternative, or all its inner bigrams are. */
function isFound(group: TermGroup, terms: { has(term: string): boolean }): boolean {
  return group.alternatives.some((t) => terms.has(t)) || (group.parts !== undefined && group.parts.every((t) => terms.has(t)));
}

/** True when every character of the text lies inside some word of the query found in it. */
function spannedByWords(text: string, words: string[]): boolean {
  const covered = new Array<boolean>(text.length).fill(false);
  for (const word of words) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) covered.fill(true, at, at + word.length);
  }
  return covered.every(Boolean);
}

/** Same length, one character different. */
function oneCharacterApart(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  return x.length === y.length && x.filter((c, i) => c !== y[i]).length === 1;
}

/** What the lexical index sees of a passage: its section heading, then its text. */
export function indexedText(chunk: Chunk): string {
  return chunk.text.startsWith(chunk.section) ? chunk.text : `${chunk.section}\n${chunk.text}`;
}
