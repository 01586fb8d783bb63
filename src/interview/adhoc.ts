// A question the candidate brings (not from the bank). Its type is read from the stem's structure
// (the candidate may correct it); it is scored on the type's moves and on key points from the
// essays, found with the stem's core phrases — without the Q&A relevance floor, which long stems fail.
import { splitSentences } from '../answer/sentences.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { taggedWords, words } from '../retrieval/tokenize.ts';
import { detectQuestionType } from './question-type.ts';
import { OWN_QUESTION_ID, type InterviewQuestion, type KeyPoint, type QuestionType } from './types.ts';

export { detectQuestionType as guessQuestionType } from './question-type.ts';

const ABILITY: Record<QuestionType, string> = {
  综合分析: '综合分析能力',
  组织管理: '计划组织协调能力',
  应急应变: '应变能力',
  人际沟通: '人际沟通能力',
  现场模拟: '言语表达能力',
};

// the ask and the role-play framing say what to do, not what it is about
const ASK = /(对此|对这种现象|对这个问题)?你(会|将|该|打算|是)?(怎么|如何|怎样)(看|理解|认识|办|做|处理|开展|组织|说|沟通|应对|评价)[^。？?]*[。？?]?|请(你)?(谈谈|说说|现场模拟|模拟)[^。？?]*[。？?]?|谈谈你的(看法|理解|认识)[^。？?]*[。？?]?|假如你是[^,,。]*[,,]?/g;

export function corePhrases(stem: string): string {
  return stem.replace(ASK, ' ').replace(/\s+/g, ' ').trim() || stem;
}

/** The sentence of a passage that shares most of the stem's words. */
function bestSentence(text: string, stemWords: Set<string>): string | undefined {
  const sentences = splitSentences(text)
    .map((s) => s.text)
    .filter((s) => s.length >= 12 && /[。！？；]$/.test(s));
  let best: string | undefined;
  let bestScore = 0;
  for (const sentence of sentences) {
    const score = new Set(words(sentence).filter((w) => stemWords.has(w))).size + Math.min(1, sentence.length / 60) * 0.1;
    if (score > bestScore) {
      bestScore = score;
      best = sentence;
    }
  }
  return best ?? sentences[0];
}

const MAX_ESSAY_POINTS = 3;
const MIN_RELEVANCE = 0.3;

export async function questionFromText(stem: string, retriever: Retriever, chosenType?: QuestionType): Promise<InterviewQuestion> {
  const type = chosenType ?? detectQuestionType(stem);
  const core = corePhrases(stem);
  const result = await retriever.search(core, { k: 6, ignoreFloor: true });
  const stemWords = new Set(words(core));
  const topics = new Set(taggedWords(core).filter(({ word, tag }) => /^(?:n|vn)/.test(tag) && retriever.isDistinctive(word)).map(({ word }) => word));
  const keyPoints: KeyPoint[] = [];
  // only passages the stem is really about (two of its words at least): a passage that merely shares
  // "社区" is no standard for the answer. Quoted sayings and figures of the stem need not be in the essays.
  if (result.relevance >= MIN_RELEVANCE) {
    for (const hit of result.hits) {
      if (keyPoints.length >= MAX_ESSAY_POINTS) break;
      const sentence = bestSentence(hit.chunk.text, stemWords);
      if (!sentence) continue;
      const shared = [...new Set(words(sentence).filter((w) => stemWords.has(w) && w.length >= 2))];
      // and one of them a thing the stem is about that few passages name: sharing 社区 and 负责 says nothing
      if (shared.length < 2 || !shared.some((w) => topics.has(w)) || keyPoints.some((p) => p.evidence === sentence)) continue;
      const keywords = [...new Set(words(sentence))]
        .filter((w) => w.length >= 2 && !normalizeForMatch(core).includes(normalizeForMatch(w)))
        .sort((a, b) => retriever.idf(b) - retriever.idf(a))
        .slice(0, 5);
      keyPoints.push({
        id: `free-${keyPoints.length + 1}`,
        point: sentence.length > 40 ? `${sentence.slice(0, 40)}…` : sentence,
        weight: keyPoints.length === 0 ? 3 : 2,
        keywords,
        essays: [hit.chunk.essayId],
        evidence: sentence,
      });
    }
  }
  return {
    id: OWN_QUESTION_ID,
    type,
    ability: ABILITY[type],
    topic: '自拟题目',
    stem,
    keyPoints,
    outline: { 表态: '', 分析: '', 对策: [], 总结: '' },
    followUps: [],
  };
}
