// Which part of a message is the question. Users open with greetings, who they are and why they
// ask ("老师好,我下周考社区工作者,想请教一下……") and talk about the asking itself ("各篇文章的
// 看法有什么不同"). Those words say nothing about the topic: they are weighed down in search and
// left out when judging whether the essays cover the question.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A clause of the message and how much its words count. */
export interface Clause {
  text: string;
  /** 1 for the question itself, lower for background and preamble */
  weight: number;
  /** greetings and who is asking: not part of the topic at all */
  preamble: boolean;
}

export const PREAMBLE_WEIGHT = 0.2;
/** sentences around the one that asks: background, still searched, at this weight */
export const BACKGROUND_WEIGHT = 0.4;

// Greetings, thanks, apologies for asking.
const GREETING = /^(各位|老师|师兄|师姐|学长|学姐|前辈|领导|大佬|同志|朋友|小助手|机器人|助手|您|你|大家|们)*(好|早上好|下午好|晚上好|早|hi|hello|hey|在吗|在不在)$|^(打扰|麻烦|不好意思|抱歉|谢谢|感谢|多谢|辛苦)/i;
// Who is asking and why: exams, jobs, assignments. A clause with these is context, not topic.
const ABOUT_ME =
  /(^|[,，\s])(我|本人|咱|俺)(是|在|现在|目前|今年|明年|刚|刚刚|正在|马上|下周|下个月|明天|后天|最近|要|准备|打算|参加|报考|报了|考上|入职|毕业|也是|一个)|备考|考(公|编|研|试|上|核|社区|村官|选调|公务员|事业|教资)|面试|笔试|结构化|复习|刷题|题目|考点|考官|领导让我|写(个|一篇|材料|报告|稿|发言|论文|总结)|材料里|汇报|课题|作业|论文/;

// Who is asking, said in the first person.
const SELF_INTRO = /(^|[,，\s])(我|本人|咱|俺)(是|在|现在|目前|今年|明年|刚|刚刚|正在|马上|下周|下个月|明天|后天|最近|要|准备|打算|参加|报考|报了|考上|入职|毕业|也是|一个)/;

/**
 * Splits a message into clauses and marks the preamble ones. In a message of several sentences
 * the last one that asks something is the question; the others are background.
 */
export function clausesOf(message: string): Clause[] {
  const sentences = message
    .split(/(?<=[。！？!?；;\n])/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // with a question mark somewhere, the sentences that end with one are the ones that ask
  // ("开了十几年厂" has a 几 but asks nothing)
  const marked = sentences.map((sentence, i) => /[?？]\s*$/.test(sentence) || (i === sentences.length - 1 && asksWithoutMark(sentence)));
  const asks = marked.some(Boolean) ? marked : sentences.map((sentence) => QUESTION_MARK.test(sentence));
  // a bare "怎么办?" leaves the topic in the sentences before it
  const focused = asks.some(Boolean) && sentences.some((sentence, i) => asks[i] && contentLength(sentence) >= 6);
  const clauses: Clause[] = [];
  sentences.forEach((sentence, i) => {
    const background = focused && !asks[i];
    for (const part of sentence.split(/[,，、:：]/)) {
      const text = part.trim();
      if (text === '') continue;
      const bare = text.replace(/[\s\p{P}\p{S}]/gu, '');
      // in the sentence that asks, only greetings and "我是/我在…" are preamble: "材料里提到的南开区
      // 党群服务中心,到底是怎么做的?" names its topic before the part that asks
      const aboutMe = asks[i] && focused ? SELF_INTRO.test(text) : ABOUT_ME.test(text);
      const preamble = GREETING.test(bare) || (aboutMe && !QUESTION_MARK.test(text));
      if (preamble) clauses.push({ text, weight: PREAMBLE_WEIGHT, preamble: true });
      else clauses.push({ text, weight: background ? BACKGROUND_WEIGHT : 1, preamble: false });
    }
  });
  // never weigh the whole message down: with nothing left, every clause counts
  if (clauses.every((c) => c.preamble)) return clauses.map((c) => ({ ...c, weight: 1, preamble: false }));
  return clauses;
}

function contentLength(sentence: string): number {
  let text = sentence;
  for (const word of CJK_META_LONGEST_FIRST) text = text.split(word).join('');
  return (text.replace(QUESTION_WORDS, '').match(/[\u3400-\u9fff]/gu) ?? []).length;
}

const QUESTION_WORDS = /什么|怎么办|怎么|怎样|如何|哪些|哪|为什么|为啥|咋|啥|吗|呢|是否|能否|有没有|是不是|多少|应该|可以|要/g;

/**
 * The last sentence of a message, left without a question mark ("……怎么申领?一张面额是多少"):
 * it asks when it has a question word and no full stop.
 */
export function asksWithoutMark(sentence: string): boolean {
  return !/[。！!；;?？]\s*$/.test(sentence) && UNMARKED_QUESTION.test(sentence);
}

// (without 几: an unmarked "说几个" or "听说是几个“化”" names "a few", it does not ask how many)
export const UNMARKED_QUESTION = /什么|怎么|怎样|如何|哪|为什么|为啥|咋|啥|吗|呢|是否|能否|有没有|是不是|多少/;

// A clause that asks something is the question, even when it also says who is asking.
const QUESTION_MARK = new RegExp(`[?？]|${UNMARKED_QUESTION.source}|几`);

/**
 * Words about the question or the essays themselves, not the topic: which essay, whose view,
 * how they differ. Query-side only (the essays may use them for real).
 */
export const META_WORDS = new Set(
  (
    '文章 篇 各篇 几篇 这几篇 两篇 每篇 哪篇 哪几篇 作者 看法 观点 说法 角度 不同 不一样 区别 差别 差异 异同 比较 对比 相比 相同 一样 共同 共同点 分别 各自 ' +
    '材料 全文 原文 提法 定义 含义 涵义 内涵 关于 有关 篇文章 这篇文章 那篇文章 这篇 那篇 知识库 资料 书上 里面 文里 讲 说 谈 提 写 讲的 说的 回事 怎么回事 意思 啥意思 是啥 请教 咨询 了解 了解一下 知道 想问 问问 问一下 求助 指点 解答 回答 总结 概括 归纳 梳理 ' +
    '老师 您好 你好 谢谢 麻烦 打扰 帮忙 帮我 一下 下周 最近 考生 题 考 面试 笔试 备考 ' +
    '不能 不要 不会 不用 能不能 看看 说得 通俗 通俗点 简单 简单点 举例 例子 具体点 详细 详细点 解决 咋 咋弄 咋整 咋搞 咋办 弄 整 搞 干 咋样 怎么弄 怎么整 怎么搞 好使 行不行 中不中 ' +
    'what how why which who where when is are the a an of in on to for and or do does did can could should would about between'
  ).split(/\s+/),
);

/**
 * A word that is the question's own asking: 哪些地方, 几句话, 几块, 哪一年, 多长时间, 好几篇. It
 * gives the form of the answer (see the question form), not its topic.
 */
const INTERROGATIVE_WORD = /^(?:哪(?!怕)|几(?!乎|何|率)|好几|多少|多长|多久|多大|啥|什么)[\u4e00-\u9fff]{1,3}$/;

// a standard list of Chinese function words (stopwords-iso), words of two or more characters:
// how a question is worded (那么, 还有, 才能, 这么), never what it is about
// (read on first use, and only its Chinese list parsed: the file holds fifty languages)
let standardStopWords: Set<string> | undefined;
function isStandardStopWord(word: string): boolean {
  if (!standardStopWords) {
    let zh: string[] = [];
    try {
      const text = readFileSync(createRequire(import.meta.url).resolve('stopwords-iso/stopwords-iso.json'), 'utf8');
      zh = JSON.parse(/"zh"\s*:\s*(\[[^\]]*\])/.exec(text)?.[1] ?? '[]') as string[];
    } catch {
      // without the list, questions are read with the stop words of tokenize.ts alone
    }
    standardStopWords = new Set(zh.filter((w) => /^[\u4e00-\u9fff]{2,}$/.test(w)));
  }
  return standardStopWords.has(word);
}

/** The words a question's search and coverage leave out: talk about the asking, and asking words. */
export const QUERY_IGNORED: { has(word: string): boolean } = {
  has: (word) => META_WORDS.has(word) || INTERROGATIVE_WORD.test(word) || ORDINAL_WORD.test(word) || isStandardStopWord(word),
};

/** 第一条, 第二: which item the question means, not what it is about */
const ORDINAL_WORD = /^第[一二三四五六七八九十\d]{1,3}[条个项点款章节次]?$/;

// longest first, so 怎么回事 goes before 回事
const CJK_META_LONGEST_FIRST = [...META_WORDS].filter((word) => /[\u4e00-\u9fff]/.test(word)).sort((a, b) => b.length - a.length);
