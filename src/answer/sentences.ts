export interface SentenceSpan {
  text: string;
  /** offsets relative to the text that was split */
  start: number;
  end: number;
}

// A sentence ends at 。！？；!? or a line break; closing quotes and citation markers such as
// "。[1]" or "。[1](P.97-101)" stay with their sentence.
const SENTENCE =
  /[^。！？!?；;\n]+(?:[。！？!?；;]+["”’」』)）】]*(?:\s*\[\d+\](?:[(（]P\.?\s*[\d\-–]+[)）])?)*|$|(?=\n))/g;

export function splitSentences(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const match of text.matchAll(SENTENCE)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '') continue;
    const start = (match.index ?? 0) + lead;
    out.push({ text: body, start, end: start + body.length });
  }
  return out;
}

// ---- what a sentence is, beyond its words (used to decide what may be quoted) ----

/** A line that opens with one of these labels is metadata, never content ("关键词:…"). */
export const LABEL_LINE =
  /^\s*[【\[]?\s*(关\s*键\s*词|关键字|key\s*words?|作者简介|作者单位|通讯作者|基金项目|收稿日期|中图分类号|文献标识码|文章编号|参考文献|责任编辑|DOI)\s*[】\]]?\s*[:：]?/i;

/** A label before content ("摘要:…", "【摘要】…"): the content is quoted without it. */
const CONTENT_LABEL = /^\s*(?:[【\[]\s*(?:摘\s*要|内容提要|提要|导语|编者按|abstract)\s*[】\]]\s*[:：]?|(?:摘\s*要|内容提要|提要|导语|编者按|abstract)\s*[:：])\s*/i;

/** Length of a leading content label, 0 when there is none. */
export function labelLength(text: string): number {
  return CONTENT_LABEL.exec(text)?.[0].length ?? 0;
}

// section numbering: 一、 (一) 1. (1) 第一部分 【背景】
const NUMBERED = /^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]+(?:章|节|部分)|【[^】]{1,12}】)/;
const MAX_NUMBERED_HEADING = 32;

/**
 * A numbered heading quoted as if it were content: "2.完善党建网格,优化社区网格化管理。",
 * "（一）…", "一、…". A numbered sentence is a heading when it is short or stands as its own paragraph.
 */
export function isNumberedHeading(text: string, wholeParagraph: boolean): boolean {
  return NUMBERED.test(text) && (wholeParagraph || text.length <= MAX_NUMBERED_HEADING);
}

const CLOSERS = '["”’」』)）】]*';
const ENDS_IN_COLON = new RegExp(`[:：]${CLOSERS}$`);
const ANNOUNCES_LIST = /(以下|如下|下列|下面|几条|几点|几个方面)[^，,。；;！？!?]{0,16}[。；;！!]?["”’」』)）】]*$/;

/** A sentence that introduces a list: "…存在以下三个方面的问题。", "…总结如下:". */
export function isIntro(text: string): boolean {
  return ENDS_IN_COLON.test(text) || ANNOUNCES_LIST.test(text);
}

/** Ends like a full sentence (headings and text cut off by the scrape do not). */
export const SENTENCE_END = /[。！？!?；;]["”’」』)）】]*(?:\[\d+\](?:[(（]P\.?\s*[\d\-–]+[)）])?)*$/;

// a paragraph that starts with a particle is the tail of a sentence whose start was lost
const PARTICLE_START = /^(?:的|了|着|并(?!且)|而(?!且))/;
const BREAK_BEFORE = /[。！？!?；;\n"”’」』)）】\]]/;

/** True when the sentence at `start` of `text` does not start where a sentence can start. */
export function startsMidSentence(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i -= 1;
  if (i < 0) return PARTICLE_START.test(text.slice(start));
  if (!BREAK_BEFORE.test(text[i])) return true;
  return text[i] === '\n' && PARTICLE_START.test(text.slice(start));
}

// evaluative filler: says that something matters without saying what it is
const FILLER =
  /值得[^，,。]{0,8}(总结|梳理|借鉴|学习|推广|思考|研究|关注|肯定|深思)|具有[^，,。]{0,8}(意义|价值)|意义[^，,。]{0,4}(重大|深远|非凡)|(提供|积累|带来)了[^，,。]{0,8}(借鉴|启示|经验|参考|遵循|支撑|范本|样板)|指明了[^，,。]{0,4}方向|取得了[^，,。]{0,6}(成效|成果|成绩|进展)|发挥了[^，,。]{0,6}作用|迫在眉睫|任务紧迫|势在必行|十分必要|不容忽视|重要而迫切/;

// what the essay itself sets out to do, as its abstract says it: about the essay, not the matter
const ABOUT_THE_ESSAY = /^(?:本文|文章|笔者|本研究|论文)|^从.{1,24}出发$|进行.{0,8}(?:分析|探讨|研究|梳理|阐述|论述)$|^(?:并)?以.{1,30}为(?:例|视角|切入点)$|^(?:探索|探讨|试图|旨在)/;

/** Share (0..1) of a sentence's clauses that are evaluative filler ("其经验值得认真梳理总结") or about the essay itself. */
export function fillerShare(text: string): number {
  const clauses = text
    .replace(/[“"「『][^”"」』]*[”"」』]/g, '□')
    .split(/[,，;；。！？!?:：]/)
    .filter((clause) => clause.replace(/[^\p{L}\p{N}□]/gu, '').length >= 4);
  if (clauses.length === 0) return 0;
  return clauses.filter((clause) => FILLER.test(clause) || ABOUT_THE_ESSAY.test(clause.trim())).length / clauses.length;
}

/** "我镇", "我们村", "我区", "我市": the author speaks for a place; group 1 is its kind. */
export const FIRST_PERSON = /我们?(镇|村|区|市|县|乡|省|州|街道|社区)/;
