// From what the user typed to what is searched: normalised script, the question's own clauses
// (preamble weighed down, words about the asking dropped), everyday words expanded to the
// essays' vocabulary, unknown words read as sound-alikes, English through a glossary.
import { termWeights } from './bm25.ts';
import { translateEnglish } from './english.ts';
import { BACKGROUND_WEIGHT, clausesOf, QUERY_IGNORED, type Clause } from './focus.ts';
import { isMostlyLatin, normalizeQuery } from './normalize.ts';
import type { SoundIndex } from './sound.ts';
import { COLLOQUIAL_SYNONYMS } from './synonyms.ts';
import { EVERYDAY_WORDS } from './everyday-lexicon.ts';
import { dictionaryTerms, type ReverseDictionary } from './english-dictionary.ts';
import { bigramTerm, characterPairs, indexTerms, isBigramTerm, STOP_WORDS, taggedWords } from './tokenize.ts';

const EXPANSION_WEIGHT = 0.6;
const SOUND_ALIKE_WEIGHT = 0.8;
/** "哪四个", "哪三项": how many items are asked for, read by the set checks, not a topic word */
const COUNTED_ASK = /哪\s*[一二两三四五六七八九十\d]{1,2}\s*[个项条类种点位件]/g;
/**
 * "怎么界定的", "各自怎么表述", "用大白话讲": how the essays put it, or how to put it to the user;
 * the form of the answer, not its topic ("社会治理是怎么界定的?" is about 社会治理 alone)
 */
const ASKING_MANNER = /(?<=(?:怎么|如何|怎样|咋|是|来)\s*)(?:界定|表述|阐述|论述|描述)|(?:用|拿)\s*(?:大白话|白话|通俗的话|简单的话|一句话)/g;

/** How much a query term counts when judging coverage: its idf, words double (the precise signal). */
export function termWeight(idf: number, term: string): number {
  return idf * (isBigramTerm(term) ? 1 : 2);
}

export interface TermGroup {
  /** the user's own term */
  term: string;
  /** the term or any of these counts as found */
  alternatives: string[];
  /**
   * for a long word: its inner bigrams; all of them present also counts as found, since the
   * essays may segment the same characters differently (分类管理 vs 分类 + 管理)
   */
  parts?: string[];
  /** part of speech of a word (jieba's tags), for telling topic nouns from talk */
  tag?: string;
  /** how much the term counts in judging coverage: 1 in the question, less in background */
  weight: number;
  /** a word that helps find passages and choose sentences but does not judge coverage */
  findingOnly?: boolean;
  /**
   * sound-alikes of a whole word the essays never use: "强震" may be 强镇 mistyped, but "医院"
   * is not 亿元, so they count half
   */
  alikes?: string[];
}

/** What the analysis needs to know of the corpus: which terms it has, and their sound-alikes. */
export interface QueryLexicon {
  known(term: string): boolean;
  /** built on first use: most questions have no unknown terms */
  sounds?: () => SoundIndex;
  /** the general English–Chinese dictionary over the essays' words, built on the first English question */
  english?: () => ReverseDictionary | undefined;
}

export interface AnalyzedQuery {
  /** the query after script normalisation (and, for English, its Chinese search terms) */
  text: string;
  /** the user's own index terms (question clauses, then preamble) */
  terms: string[];
  /** BM25 query weights: the user's terms plus expansions */
  weights: Map<string, number>;
  /** for coverage: each of the question's own terms with its acceptable alternatives */
  groups: TermGroup[];
  language: 'zh' | 'en';
  /**
   * names, numbers and documents the question asks about (上海, 2023年, 《…》, …法): when the
   * essays do not contain one, they do not answer the question, however close the rest is
   */
  specifics: string[];
  /** the clauses that ask (without greetings and who is asking) */
  asked: string;
  /** the question talks about an essay (那篇文章, 作者 …), so titles and authors are part of the topic */
  mentionsEssay: boolean;
}


function innerBigrams(word: string): string[] {
  return characterPairs(word).map(bigramTerm);
}

function expansionTerms(phrase: string): string[] {
  return indexTerms(phrase).filter((term) => !isBigramTerm(term));
}

// jieba's person tag (nr) fires on ordinary words (宣传教育/nr); places and organisations are reliable
const PROPER_NOUN_TAGS = new Set(['ns', 'nt']);
// 镇里, 县里: "in the town", which jieba sometimes tags as a place name
const LOCATIVE = /^[省市县区乡镇村街州城]里$/;
const DEGREE_ADVERB = /^(?:挺|很|太|真|好|蛮|特别|非常|比较|有点|有些|十分|相当|更|最|越来越)$/;
// names of programmes and documents: 《…》, "…", and words ending like a law or a programme
// (a law ends in 法, but 土办法, 好方法, 新做法, 综合执法 are ways of doing things, not laws)
const NAMED_DOCUMENT = /^(?:[\u3400-\u9fff]{2,}(?<![办方做想看说写用手打招设无依合违执司立守普])法|[\u3400-\u9fff]{2,}(条例|规定|规划|纲要|意见|通知|办法|方案|工程|行动|计划|热线|平台|指数)|[\u3400-\u9fff]+法典)$/;

// "具体办法", "相关规定", "工作方案": ending like a document does not make a word the name of one
const GENERIC_NAME = /^(?:具体|相关|有关|什么|哪些|这些|那些|主要|好的|新的|一些|有效|工作|实施|解决|处理|管理|应对|对应|配套)[\u3400-\u9fff]{1,2}$/;

/** A Party congress or plenum by its number (十九大, 二十大, 十八届三中全会): its characters are no typo. */
export const CONGRESS = /(?:[二三]十|十)[一二三四五六七八九]?(?:大|届[一二三四五六七八九]中全会)/;

function specificsOf(text: string, tagged: Array<{ word: string; tag: string }>): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/《([^》]{2,30})》|[“"「]([^”"」]{2,20})[”"」]/g)) out.add((m[1] ?? m[2]).trim());
  for (const m of text.matchAll(/\d+(?:\.\d+)?\s*(?:年|月|日|号|%|％|个|名|万|亿|元|人|件|户|条|项|次|届)?/g)) {
    if (m[0].replace(/\D/g, '').length >= 2 || /[年%％万亿元]/.test(m[0])) out.add(m[0].trim());
  }
  // a Party congress or plenum is named by its number: 十九大 is not 十八大
  for (const m of text.matchAll(new RegExp(CONGRESS.source, 'g'))) out.add(m[0]);
  tagged.forEach(({ word, tag }, i) => {
    // jieba tags some everyday words as places (新鲜, 东西): after 挺/很/太 it is a quality, not a place
    const quality = DEGREE_ADVERB.test(tagged[i - 1]?.word ?? '');
    if ((PROPER_NOUN_TAGS.has(tag) && word.length >= 2 && !LOCATIVE.test(word) && !quality) || (NAMED_DOCUMENT.test(word) && !GENERIC_NAME.test(word))) out.add(word);
  });
  return [...out];
}

/**
 * English: the glossary's Chinese terms plus pinyin names the essays use (`field`), and the general
 * dictionary's words for what the glossary does not know (`general`, only words the essays use).
 */
function englishQuery(text: string, lexicon?: QueryLexicon): { field: string; general: string[]; written: string[] } {
  const { chinese, unknown } = translateEnglish(text);
  const sounds = lexicon?.sounds?.();
  const names: string[] = [];
  const leftOver: string[] = [];
  for (const word of unknown) {
    const pinyin = sounds ? sounds.fromPinyin(word, 1) : [];
    names.push(...pinyin);
    if (pinyin.length === 0) leftOver.push(word);
  }
  const dictionary = lexicon?.english?.();
  // what the user wrote in Chinese ("What does 网格化管理 mean?") is the term itself
  const written = text.match(/[\u3400-\u9fff]{2,}/g) ?? [];
  return { field: [...names, ...chinese, ...written].join(' '), general: dictionary ? dictionaryTerms(text, leftOver, dictionary) : [], written };
}

/** The names an English question gives in Chinese: quoted ones, and proper names among its Chinese words. */
function englishSpecifics(text: string, written: string[]): string[] {
  if (written.length === 0) return [];
  const quoted = [...text.matchAll(/[“"「'‘]([^”"」'’]{2,20})[”"」'’]/g)].map((m) => m[1].trim()).filter((name) => /^[\u3400-\u9fff、·]+$/.test(name));
  const joined = written.join(',');
  return [...new Set([...quoted, ...specificsOf(joined, taggedWords(joined))])];
}

let phraseKeys: string[] | undefined;

/** The lexicon's entries that the tokenizer does not keep as one word, longest first. */
function everydayPhrases(): string[] {
  phraseKeys ??= Object.keys(EVERYDAY_WORDS)
    .filter((key) => !indexTerms(key).includes(key))
    .sort((a, b) => b.length - a.length);
  return phraseKeys;
}

/** The essays' words for an everyday word: the hand-made table first, then the general lexicon. */
function everydaySynonyms(term: string): string[] | undefined {
  return COLLOQUIAL_SYNONYMS[term] ?? EVERYDAY_WORDS[term];
}

const TOPIC_TAG = /^(?:n(?!r)|vn|l|j)/;

/** Whether a text names a thing: a noun that is not about the asking. */
function namesSomething(text: string): boolean {
  return taggedWords(text).some(({ word, tag }) => TOPIC_TAG.test(tag) && word.length >= 2 && !QUERY_IGNORED.has(word) && !STOP_WORDS.has(word));
}

/**
 * "我们课题组在梳理基层社会治理普遍存在的问题……它一共列了哪几个方面?": when the sentences that
 * ask name nothing, the topic is in what the user said about themselves, read as background.
 */
function topicKept(clauses: Clause[]): Clause[] {
  if (!clauses.some((c) => c.preamble) || namesSomething(clauses.filter((c) => !c.preamble).map((c) => c.text).join(','))) return clauses;
  return clauses.map((c) => (c.preamble && namesSomething(c.text) ? { ...c, preamble: false, weight: BACKGROUND_WEIGHT } : c));
}

/** Index terms of a query, with everyday words expanded to the essays' vocabulary. */
export function analyzeQuery(query: string, lexicon?: QueryLexicon): AnalyzedQuery {
  const normalized = normalizeQuery(query);
  const language = isMostlyLatin(normalized) ? 'en' : 'zh';
  const english = language === 'en' ? englishQuery(normalized, lexicon) : undefined;
  const text = english ? [english.field, ...english.general].join(' ') : normalized;
  // the general dictionary's words help find passages; whether the essays cover the question is
  // judged on the field's own words (the glossary's): everyday English finds everyday Chinese anywhere
  const fieldTerms = new Set(english ? indexTerms(english.field) : []);
  const finding = new Set(english ? indexTerms(english.general.join(' ')).filter((t) => !fieldTerms.has(t)) : []);
  const weights = new Map<string, number>();
  const terms: string[] = [];
  const own: string[] = [];
  const asked: string[] = [];
  const clauseWeight = new Map<string, number>();
  const clauses = topicKept(clausesOf(text));
  // names and figures are what is asked only in the sentences that ask: a name in the background
  // ("有人说是十九大才提的", "要做一期“乡村放电影”的专题") is context, not the question
  const asking = clauses.filter((clause) => !clause.preamble && clause.weight >= 1).map((clause) => clause.text);
  for (const clause of clauses) {
    // "哪四个" counts what is asked for: 四个 is not part of the topic
    const clauseTerms = indexTerms(clause.text.replace(COUNTED_ASK, '哪').replace(ASKING_MANNER, ','), QUERY_IGNORED);
    terms.push(...clauseTerms);
    if (!clause.preamble) {
      own.push(...clauseTerms);
      asked.push(clause.text);
      for (const term of clauseTerms) clauseWeight.set(term, Math.max(clauseWeight.get(term) ?? 0, clause.weight));
    }
    for (const [term, weight] of termWeights(clauseTerms, clause.weight)) weights.set(term, (weights.get(term) ?? 0) + weight);
  }
  const add = (term: string, weight: number): void => {
    weights.set(term, (weights.get(term) ?? 0) + weight);
  };
  const tagged = taggedWords(asked.join(','));
  const tags = new Map(tagged.map(({ word, tag }) => [word, tag]));
  // everyday phrases the tokenizer splits (接不上茬, 跑断腿) are found in the text itself
  const askedText = asked.join(',');
  const phrases = everydayPhrases().filter((phrase) => askedText.includes(phrase));
  const colloquial = [...[...new Set(own)].filter((term) => !isBigramTerm(term) && everydaySynonyms(term)), ...phrases];
  const groups: TermGroup[] = [];
  for (const phrase of phrases) {
    const alternatives = [...new Set((EVERYDAY_WORDS[phrase] ?? []).flatMap(expansionTerms))];
    for (const alt of alternatives) add(alt, EXPANSION_WEIGHT);
    groups.push({ term: phrase, alternatives: [phrase, ...alternatives], tag: 'l', weight: 1 });
  }
  for (const term of new Set(own)) {
    if (finding.has(term)) {
      if (!isBigramTerm(term)) groups.push({ term, alternatives: [term], tag: tags.get(term), weight: 1, findingOnly: true });
      continue;
    }
    // a word inside a matched phrase is judged through the phrase
    if (!isBigramTerm(term) && phrases.some((phrase) => phrase.includes(term))) continue;
    const synonyms = !isBigramTerm(term) ? everydaySynonyms(term) : undefined;
    if (synonyms) {
      const alternatives = [...new Set(synonyms.flatMap(expansionTerms))];
      for (const alt of alternatives) add(alt, EXPANSION_WEIGHT);
      groups.push({ term, alternatives: [term, ...alternatives], tag: tags.get(term), weight: clauseWeight.get(term) ?? 1 });
      continue;
    }
    // the bigrams inside an expanded everyday word are judged through that word
    if (isBigramTerm(term) && colloquial.some((word) => word.includes(term.slice(1)))) continue;
    const alikes = lexicon && !lexicon.known(term) ? (lexicon.sounds?.().alikes(term) ?? []) : [];
    for (const alike of alikes) add(alike, SOUND_ALIKE_WEIGHT);
    // a bigram of single characters is where a mistyped character shows; a whole word is a real word
    const word = !isBigramTerm(term);
    groups.push({
      term,
      alternatives: word ? [term] : [term, ...alikes],
      alikes: word && alikes.length > 0 ? alikes : undefined,
      parts: !isBigramTerm(term) && term.length > 2 && alikes.length === 0 ? innerBigrams(term) : undefined,
      tag: isBigramTerm(term) ? undefined : tags.get(term),
      weight: clauseWeight.get(term) ?? 1,
    });
  }
  // (the asking sentences are usually all of what is asked: then their tagging is already done)
  const askingText = asking.length > 0 ? asking.join(',') : asked.join(',');
  const specifics = english ? englishSpecifics(normalized, english.written) : specificsOf(askingText, askingText === asked.join(',') ? tagged : taggedWords(askingText));
  return { text, terms, weights, groups, language, specifics,
    asked: asked.join(','),
    // (an English question names the essay in English: "the Beijing civil affairs bureau abstract")
    mentionsEssay: /文章|篇|作者|报告|论文|一文|文中|期刊|杂志|学报/.test(text) || (english !== undefined && /\b(?:essay|article|paper|abstract|report|author|study|journal)s?\b/i.test(normalized)),
  };
}
