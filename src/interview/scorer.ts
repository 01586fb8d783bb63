// The offline examiner: deterministic and explainable. Every number can be traced to a rule here:
// key points matched sentence by sentence, the type's moves, time against the clock, honest caps.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { words } from '../retrieval/tokenize.ts';
import { analyzeAnswer, canEarn, CHARS_PER_MINUTE, containment, contentLength, heardWithin, type AnswerAnalysis } from './answer-analysis.ts';
import { matchKeyPoints } from './points.ts';
import { REFERENCE_OFF, referenceShare, referenceSimilarity } from './reference.ts';
import { movesMade, type MoveResult } from './question-type.ts';
import { situationCoverage, situationTerms, type SituationTerm } from './relevance.ts';
import type { Band, DimensionKey, InterviewQuestion, PointResult, QuestionType } from './types.ts';
import { OWN_QUESTION_ID } from './types.ts';

export { contentLength } from './answer-analysis.ts';
export { stripInjections } from '../answer/injection.ts';

export const DIMENSIONS: Array<{ key: DimensionKey; name: string; weight: number }> = [
  { key: 'D1', name: '审题立意', weight: 1.5 },
  { key: 'D2', name: '核心能力', weight: 3.0 },
  { key: 'D3', name: '要点覆盖与联系实际', weight: 2.5 },
  { key: 'D4', name: '逻辑结构', weight: 1.5 },
  { key: 'D5', name: '言语表达', weight: 1.5 },
];

export const CORE_ABILITY: Record<QuestionType, string> = {
  综合分析: '综合分析能力',
  组织管理: '计划组织协调能力',
  应急应变: '应变能力',
  人际沟通: '人际交往意识与技巧',
  现场模拟: '情境表达与沟通',
};

/** Band thresholds: the one place they are written. */
export const BAND_FLOORS = { good: 75, fair: 45 } as const;
export const MIN_ANSWER_CHARS = 60;
/** The most an answer can score when a cap applies: below any honest medium answer. */
export const POOR_CAP = 40;

export function bandOf(total: number): Band {
  if (total >= BAND_FLOORS.good) return '好';
  if (total >= BAND_FLOORS.fair) return '中';
  return '差';
}

export interface TimeSettings {
  /** seconds per question: 180 by default, 120 in the 2-minute mode */
  limitSeconds: number;
}

export interface Timing {
  /** estimated speaking time, at ~200 characters a minute */
  seconds: number;
  limitSeconds: number;
  verdict: 'under' | 'ok' | 'over';
  /** points taken off the total for time */
  penalty: number;
  /** content characters the examiner hears before calling time */
  heardChars: number;
}

/** Below this share of the time an answer is too thin for the question; the penalty grows to the maximum at zero. */
const UNDER_TIME = 0.75;
const UNDER_TIME_PENALTY = 25;

export function timingOf(contentChars: number, settings: TimeSettings = { limitSeconds: 180 }): Timing {
  const seconds = Math.round((contentChars / CHARS_PER_MINUTE) * 60);
  const ratio = seconds / settings.limitSeconds;
  // the examiner calls time a little after the limit; what comes later is not heard
  const heardChars = Math.round(((settings.limitSeconds * 1.1) / 60) * CHARS_PER_MINUTE);
  if (ratio < UNDER_TIME) return { seconds, limitSeconds: settings.limitSeconds, verdict: 'under', penalty: round1(((UNDER_TIME - ratio) / UNDER_TIME) * UNDER_TIME_PENALTY), heardChars };
  if (ratio > 1.15) return { seconds, limitSeconds: settings.limitSeconds, verdict: 'over', penalty: round1(Math.min(8, (ratio - 1.15) * 8)), heardChars };
  return { seconds, limitSeconds: settings.limitSeconds, verdict: 'ok', penalty: 0, heardChars };
}

// ---- structure markers (read only in sentences that can earn) ---------------------------------
const STANCE = /(认为|觉得|看来|我的看法|我想|值得|不可取|不能简单|说明|反映|实质|本质|关键在于|作为|如果我是|我会|我将|我一定|首先.{0,6}(肯定|支持|赞同|理解)|各位|大家好|乡亲们|您好)/;
const ORDINALS = /(一是|二是|三是|四是|五是|首先|其次|再次|然后|接着|随后|最后|第一|第二|第三|第四|一方面|另一方面|其一|其二|同时|此外)/g;
const LEADING_ENUMERATOR = /^(?:([一二三四五六七八九十])、|[(（]([一二三四五六七八九十1-9])[)）]|([1-9])[.．、](?!\d))/;
const SUMMARY = /(总之|总而言之|综上|总的来说|归根结底|这样(才能|就能|一来)|只有.{1,24}才|长效机制|说到底)/;
const FILLERS = /(嗯+|呃+|那个那个|然后然后|就是说就是说)/g;

function clamp(value: number, min = 0, max = 10): number {
  return Math.min(max, Math.max(min, value));
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Weighted coverage (hit 1, partial 0.5) → 0..1. */
export function coverageOf(points: Array<{ weight: number; status: PointResult['status'] }>): number {
  const total = points.reduce((sum, p) => sum + p.weight, 0) || 1;
  return points.reduce((sum, p) => sum + p.weight * (p.status === 'hit' ? 1 : p.status === 'partial' ? 0.5 : 0), 0) / total;
}

export type { MoveResult } from './question-type.ts';

/** How much of the stem's own matter the answer takes up, in sentences that can earn: 0..1. */
export function stemEngagement(stem: string, analysis: AnswerAnalysis): number {
  const stemWords = [...new Set(words(stem).filter((w) => w.length >= 2))];
  if (stemWords.length === 0) return 1;
  const said = normalizeForMatch(analysis.sentences.filter(canEarn).map((s) => s.text).join(''));
  const mentioned = stemWords.filter((w) => said.includes(normalizeForMatch(w))).length;
  return Math.min(1, mentioned / Math.min(4, stemWords.length));
}

export interface Assessment {
  analysis: AnswerAnalysis;
  timing: Timing;
  points: PointResult[];
  moves: MoveResult[];
  /** weighted key-point coverage 0..1 (for a question of the candidate's own: moves and essay points together) */
  coverage: number;
  engagement: number;
  /** how much the answer says about this question's situation: 0..1 (depthOf) */
  depth: number;
  /** weighted share of the stem's situation (relevance.ts) named in sentences that can earn: 0..1 */
  situation: number;
  scores: Record<DimensionKey, number>;
  /** points taken off the total for 套话 */
  clichePenalty: number;
  cap?: { at: number; notice: string };
  /** a ceiling below 好 for an answer built on the memorised template (no cap: the answer is not wrong, only stock) */
  ceiling?: { at: number; notice: string };
}

/** Each distinct 套话 costs this much of the total, up to the maximum. */
export const CLICHE_PENALTY = 2.5;
export const CLICHE_PENALTY_MAX = 12.5;

/** Everything the offline examiner finds in an answer, before it is turned into a review. */
export interface AssessOptions {
  time?: TimeSettings;
  /** the model examiner's point results (quotes verified), used instead of the offline matching */
  points?: PointResult[];
  /** semantic similarity of the answer to the question and its points (local vectors), when known */
  similarity?: number;
}

export function assess(question: InterviewQuestion, answer: string, options: AssessOptions = {}): Assessment {
  const { time, points: pointResults, similarity } = options;
  const analysis = analyzeAnswer(answer, question.stem);
  const timing = timingOf(analysis.contentChars, time);
  const heard = heardWithin(analysis.sentences, timing.heardChars);
  const points = pointResults ?? matchKeyPoints(question.keyPoints, question.stem, analysis.sentences, { earnsUntil: timing.heardChars });
  const moves = movesMade(question.type, heard);
  const moveCoverage = coverageOf(moves.map((m) => ({ weight: m.move.weight, status: m.depth === 1 ? 'hit' : m.depth > 0 ? 'partial' : 'miss' })));
  const pointCoverage = coverageOf(points.map((p) => ({ weight: p.point.weight, status: p.status })));
  const engagement = stemEngagement(question.stem, analysis);
  const depth = depthOf(question.stem, heard.filter(canEarn));
  // a question of the candidate's own has only a few essay points: the type's moves carry more of
  // it, and how far the answer develops the stem's own situation (depth) stands for the vetted points
  const typed = points.length > 0 ? 0.6 * moveCoverage + 0.4 * pointCoverage : moveCoverage;
  const coverage = question.id === OWN_QUESTION_ID ? (1 - OWN_DEPTH_SHARE) * typed + OWN_DEPTH_SHARE * depth : pointCoverage;
  const situation = situationCoverage(termsOf(question.stem), heard.filter(canEarn).map((s) => s.text).join('。'));
  // what the answer shares with the reference answer: what the examiner hears earns, all of it shows what it is about
  const earned = (sentences: AnswerAnalysis['sentences']): string => sentences.filter(canEarn).map((s) => s.text).join('');
  const reference = (text: string): number | undefined => (question.modelAnswer ? referenceSimilarity(question.modelAnswer, question.stem, text) : undefined);
  const heardText = earned(heard);
  const allText = earned(analysis.sentences);
  const heardReference = reference(heardText);
  const allReference = allText === heardText ? heardReference : reference(allText);
  const scores = dimensionScores(question, analysis, heard, coverage, moveCoverage, engagement, depth, heardReference);
  const clichePenalty = round1(Math.min(CLICHE_PENALTY_MAX, analysis.cliches.filter((c) => !c.stock).length * CLICHE_PENALTY));
  return { analysis, timing, points, moves, coverage, engagement, depth, situation, scores, clichePenalty, cap: capOf(question, answer, analysis, engagement, coverage, situation, similarity, allReference), ceiling: ceilingOf(analysis, timing, depth) };
}

/**
 * For a question of the candidate's own, the share of coverage that is the answer's depth on the
 * stem's situation: its key points are guessed from the type and the essays, not vetted, so how much
 * the answer says about this situation counts beside them, more than they do (dev split, 0.3 → 0.6:
 * strong and medium answers to own questions differ most in depth, 0.91 vs 0.45 at the median)
 */
export const OWN_DEPTH_SHARE = 0.6;

/** Distinct stock phrases of the answer template (cliches.ts) that keep an answer from 好. */
export const STOCK_PHRASES_CEILING = 2;

/**
 * Fair, not good: the template answer, whose stock phrases stand where this question's own handling
 * should be; the answer that runs over time, which the examiner cuts off before its later measures
 * and its close (keeping to the time is part of what is examined); and the answer that names its
 * measures without carrying them out (depth below SHALLOW_DEPTH).
 */
function ceilingOf(analysis: AnswerAnalysis, timing: Timing, depth: number): Assessment['ceiling'] {
  const notices: string[] = [];
  const stock = analysis.cliches.filter((c) => c.stock);
  if (stock.length >= STOCK_PHRASES_CEILING) {
    notices.push(`${stock.slice(0, 3).map((c) => `“${c.quote}”`).join('、')}是背熟的答题模板,换哪道题都能说,考官听不出你对这件事的具体办法,最高评为“中”。`);
  }
  if (timing.verdict === 'over') notices.push('超时的回答在考场上会被叫停,后面的对策和总结考官听不到,最高评为“中”。');
  if (depth < SHALLOW_DEPTH) notices.push('做法大多只点到一句,没有讲清谁来做、怎么做、用什么,最高评为“中”。');
  return notices.length === 0 ? undefined : { at: BAND_FLOORS.good - 1, notice: notices.join('') };
}

const situationCache = new Map<string, SituationTerm[]>();
export function termsOf(stem: string): SituationTerm[] {
  let terms = situationCache.get(stem);
  if (!terms) {
    // the stem narrows towards the task at its end (the people to talk to, the thing to organise):
    // a term said later weighs more than the background it opens with
    const text = stem.replace(/\s+/g, '');
    terms = situationTerms(stem, (term) => 0.5 + Math.max(0, text.lastIndexOf(term)) / Math.max(1, text.length));
    if (situationCache.size > 500) situationCache.clear();
    situationCache.set(stem, terms);
  }
  return terms;
}

/**
 * The most of the substance that sharing the reference answer's words can stand in for: naming what
 * the reference names is not yet carrying it out (dev split: 0.8/0.9/1 → band agreement
 * 85.3/85.8/85.8%; at 1 an answer that names each step in one line reaches 好).
 */
const REFERENCE_CREDIT = 0.9;
/** The most key-point coverage concrete measures can stand in for (calibrated on the dev split). */
const OWN_WORDS_CREDIT = 0.7;
// a measure that is only an all-purpose verb ("二是要加强对网格员的培训"): it names no step
const GENERIC_MEASURE = /^(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][,，、]?|首先|其次|再次|然后|最后|同时|另外|此外)?[,，]?(?:我们|我)?(?:还)?(?:要|应该|应当|需要|必须|会|将)?(?:进一步)?(?:加强|提高|做好|加大|强化|完善|健全|重视|注重|提升|增强)/;
/** Distinct specific words of a fully developed 3-minute answer, and how much of the substance a lack of them costs (dev split). */
const DEPTH_FULL = 130;
const DEPTH_WEIGHT = 0.3;
/** How hard empty sentences (套话, nothing specific) weigh on the substance: at a third of them, none is left. */
const EMPTY_WEIGHT = 3;

/**
 * Depth: how much the answer says about this question, as distinct specific words (not 套话,
 * all-purpose verbs or the question's own words) in sentences that can earn, 0..1. A shallow answer
 * touches each step with one generic line ("加强宣传引导"); a developed one says who does it, how,
 * with what and how it is checked. Only what is said about this question's situation counts: a
 * sentence that, with its neighbours, names one of the stem's people, things or events
 * (relevance.ts). A fluent, concrete answer on another matter of the same field has little depth here.
 */
export function depthOf(stem: string, earning: AnswerAnalysis['sentences']): number {
  return Math.min(1, new Set(onSituation(stem, earning).flatMap((s) => s.specifics)).size / DEPTH_FULL);
}

/** The sentences that, with a neighbour, name something of the stem's own situation. */
export function onSituation(stem: string, earning: AnswerAnalysis['sentences']): AnswerAnalysis['sentences'] {
  const situation = termsOf(stem);
  return earning.filter((_, i) => situationCoverage(situation, earning.slice(Math.max(0, i - 1), i + 2).map((s) => s.text).join('')) > 0);
}

/** Share of the stem's situation terms a strong answer typically names (dev split): the situation fully taken up. */
const SITUATION_GRASPED = 0.4;

/** Below this depth the review says the measures are named, not carried out. */
export const SHALLOW_DEPTH = 0.5;

function dimensionScores(
  question: InterviewQuestion,
  analysis: AnswerAnalysis,
  heard: AnswerAnalysis['sentences'],
  coverage: number,
  moveCoverage: number,
  engagement: number,
  depth: number,
  /** similarity of what is heard to the reference answer, for a bank question */
  heardReference: number | undefined,
): Record<DimensionKey, number> {
  const earning = heard.filter(canEarn);
  const earningText = earning.map((s) => s.text).join('');
  const opening = heard.slice(0, 2).map((s) => s.text).join('');
  const hasStance = STANCE.test(opening);
  const roleOk = question.type === '综合分析' || /(我|作为|咱们|我们)/.test(earningText);

  // concreteness: sentences that say who does what, when, with what — generic measures do not
  const concreteness = Math.min(1, earning.filter((s) => s.concrete).length / 6);
  // concrete measures on the question's own matter (a sentence naming who does what, more than an
  // all-purpose verb, with a word of the question or its points) are substance even in words that
  // match no key point: an answer in the candidate's own words is not scored as if it said nothing
  const topicText = normalizeForMatch([question.stem, ...question.keyPoints.flatMap((p) => [p.point, ...p.keywords])].join(''));
  const onTopic = earning.filter((s) => s.concrete && !GENERIC_MEASURE.test(s.text) && s.words.some((w) => w.length >= 2 && topicText.includes(normalizeForMatch(w)))).length;
  const ownWords = OWN_WORDS_CREDIT * Math.min(1, onTopic / 6) * engagement;
  // sentences that are 套话 or say nothing specific take the place of substance: a fluent answer
  // made of them earns little however well it is laid out
  const emptyShare = analysis.sentences.length === 0 ? 0 : analysis.sentences.filter((s) => s.generic || s.cliched).length / analysis.sentences.length;
  // what the answer shares with the reference answer stands for substance in words no key point lists
  const reference = heardReference === undefined ? 0 : REFERENCE_CREDIT * referenceShare(heardReference);
  const credited = Math.max(coverage, ownWords, reference) * (1 - Math.min(1, EMPTY_WEIGHT * emptyShare)) * (1 - DEPTH_WEIGHT * (1 - depth));
  // substance: how much of what the question needs the answer says; form without it is worth little
  const substance = 0.5 + 0.5 * Math.min(1, credited / 0.5);
  // D1 审题立意: takes up the question's own situation (its people, things, events: relevance.ts) and
  // not only its field's words, takes a position, in the right role; a clear grasp of the situation
  // counts even when the opening is not one of the stock ways of stating a position
  const grasp = Math.min(engagement, situationCoverage(termsOf(question.stem), earning.map((s) => s.text).join('。')) / SITUATION_GRASPED);
  const d1 = clamp(1 + grasp * 4 + (hasStance ? 1.5 : 0) + (roleOk ? 0.5 : 0) + Math.min(1, credited / 0.6) * 4);
  // D2 核心能力: the type's moves, the substance of the points, and how concretely they are carried out
  const d2 = clamp(moveCoverage * 4 + credited * 4 + concreteness * 2);
  // D3 要点覆盖与联系实际: the official rule (most points 好, some 中, few 差) plus concreteness
  const d3Base = credited >= 0.7 ? 7.5 + (credited - 0.7) * 5 : credited >= 0.35 ? 3.5 + ((credited - 0.35) / 0.35) * 4 : (credited / 0.35) * 3.5;
  const d3 = clamp(d3Base + concreteness * 2.5);
  // D4 逻辑结构: position, layers, a closing — in sentences that say something
  // a heading ("第一,认岗。") lays out the answer when what follows it says something
  const laidOut = heard.filter((s, i) => canEarn(s) || (contentLength(s.text) <= 12 && heard[i + 1] !== undefined && canEarn(heard[i + 1])));
  // "一、…" "(2)…" "3. …" open a sentence the way 第一/其次 do
  const enumerators = laidOut.flatMap((s) => {
    const m = LEADING_ENUMERATOR.exec(s.text.trim());
    return m ? [`#${m[1] ?? m[2] ?? m[3]}`] : [];
  });
  const ordinals = new Set([...(laidOut.map((s) => s.text).join('').match(ORDINALS) ?? []), ...enumerators]).size;
  const closing = SUMMARY.test(heard.slice(-2).map((s) => s.text).join(''));
  const d4 = clamp(((hasStance ? 2 : 0) + Math.min(4, ordinals) + (closing ? 2 : 0) + 2 * analysis.structuredShare) * substance);
  // D5 言语表达: natural, varied, no filler (套话 is charged on the total)
  const texts = analysis.sentences.map((s) => normalizeForMatch(s.text));
  const repetition = texts.length > 0 ? 1 - new Set(texts).size / texts.length : 0;
  const average = analysis.sentences.length > 0 ? analysis.contentChars / analysis.sentences.length : 0;
  const fillers = (earningText.match(FILLERS) ?? []).length;
  const genericShare = analysis.sentences.length > 0 ? analysis.sentences.filter((s) => s.generic).length / analysis.sentences.length : 0;
  const d5 = clamp((9 - repetition * 6 - fillers * 0.5 - genericShare * 4 - (average > 90 ? 1.5 : 0)) * (0.4 + 0.6 * analysis.structuredShare) * substance);
  return { D1: round1(d1), D2: round1(d2), D3: round1(d3), D4: round1(d4), D5: round1(d5) };
}

/** Caps no examiner, offline or model, may exceed; each with its plain explanation. */
// below this local-vector similarity to the question and its points an answer is about something else
const OFF_TOPIC_SIMILARITY = 0.45;

// below this (weighted) share of the stem's situation an answer is about another matter, however fluent (dev split)
const OFF_SITUATION = 0.22;
/**
 * A shorter answer has room for fewer of the stem's things: below this many characters (about 1:45
 * spoken) the share it must name shrinks in proportion, so a short answer on the question is told
 * it is short, not that it is off the question (dev split: 250/350/450 → band 84.2/84.6/83.9%).
 */
const SITUATION_FULL_LENGTH = 350;

function capOf(
  question: InterviewQuestion,
  answer: string,
  analysis: AnswerAnalysis,
  engagement: number,
  coverage: number,
  situation: number,
  similarity?: number,
  /** similarity to the reference answer (reference.ts), for a bank question */
  reference?: number,
): Assessment['cap'] {
  const length = analysis.contentChars;
  if (length === 0) return { at: 0, notice: '没有收到作答内容,本题记为差。' };
  if (length < MIN_ANSWER_CHARS) return { at: POOR_CAP, notice: `回答只有 ${length} 个字,远低于 3 分钟作答的正常篇幅(约 500–650 字),最高只能评为“差”。` };
  if (containment(answer, question.stem) > 0.7) return { at: POOR_CAP, notice: '回答大部分是在复述题目,没有给出自己的分析和做法,最高只能评为“差”。' };
  const wrong = analysis.sentences.find((s) => s.contradiction);
  if (wrong) return { at: POOR_CAP, notice: `“${clip(wrong.text, 40)}”属于${wrong.contradiction},是原则性错误,最高只能评为“差”。` };
  if (analysis.structuredShare < 0.5) {
    return { at: POOR_CAP - 5, notice: '回答基本是一串名词和口号,没有成句的分析和做法,考官无法判断你会怎么做,最高只能评为“差”。' };
  }
  const offTopic =
    (engagement < 0.25 && coverage < 0.2) || (similarity !== undefined && similarity < OFF_TOPIC_SIMILARITY && coverage < 0.35) || situation < OFF_SITUATION * Math.min(1, length / SITUATION_FULL_LENGTH);
  if (offTopic) return { at: POOR_CAP, notice: '回答和题目问的事关系不大(答非所问),最高只能评为“差”。' };
  // a bank question's reference answer says what the question is about: an answer that shares less
  // of it than the typical off-topic answer does is about something else, however many stem words it
  // repeats (a short answer has room for less of it, as for the situation above)
  if (reference !== undefined && reference < REFERENCE_OFF * Math.min(1, length / SITUATION_FULL_LENGTH)) {
    return { at: POOR_CAP, notice: '回答和这道题要解决的事几乎没有共同的内容(和参考答案说的做法、道理都对不上),最高只能评为“差”。' };
  }
  return undefined;
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function totalOf(scores: Record<DimensionKey, number>): number {
  return round1(DIMENSIONS.reduce((sum, d) => sum + d.weight * scores[d.key], 0));
}

