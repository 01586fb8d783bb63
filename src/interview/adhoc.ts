// A question typed by the user (not from the bank): key points come from the essays the
// retriever finds for it, so the review is still grounded in cited passages.
import { splitSentences } from '../answer/sentences.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { words } from '../retrieval/tokenize.ts';
import type { InterviewQuestion, QuestionType } from './types.ts';

const TYPE_PATTERNS: Array<[RegExp, QuestionType]> = [
  [/(现场模拟|请你?(现场)?(模拟|说一段|讲一段)|开场白|你会怎么说)/, '现场模拟'],
  [/(突发|现场|围堵|闹事|冲突|围观|视频|舆情|紧急|意外|堵在)/, '应急应变'],
  [/(同事|领导|上级|老同志|不配合|矛盾|误会|沟通|抱怨|不理解)/, '人际沟通'],
  [/(组织|开展|策划|筹备|调研|宣传|培训|活动|会议|你会如何|怎么安排)/, '组织管理'],
];

export function guessQuestionType(text: string): QuestionType {
  for (const [pattern, type] of TYPE_PATTERNS) if (pattern.test(text)) return type;
  return '综合分析';
}

const ABILITY: Record<QuestionType, string> = {
  综合分析: '综合分析能力',
  组织管理: '计划组织协调能力',
  应急应变: '应变能力',
  人际沟通: '人际沟通能力',
  现场模拟: '言语表达能力',
};

export async function questionFromText(stem: string, retriever: Retriever): Promise<InterviewQuestion> {
  const type = guessQuestionType(stem);
  const result = await retriever.search(stem, { k: 4 });
  const stemWords = new Set(words(stem));
  const keyPoints = result.hits.map((hit, i) => {
    const sentence = splitSentences(hit.chunk.text).find((s) => s.text.length >= 12 && /[。！？；]$/.test(s.text))?.text ?? hit.chunk.text.slice(0, 40);
    const keywords = [...new Set(words(hit.chunk.text))]
      .filter((w) => w.length >= 2 && !stemWords.has(w))
      .sort((a, b) => retriever.idf(b) - retriever.idf(a))
      .slice(0, 5);
    return {
      id: `free-${i + 1}`,
      point: sentence.length > 40 ? `${sentence.slice(0, 40)}…` : sentence,
      weight: i === 0 ? 3 : 2,
      keywords,
      chunks: [hit.chunk.id],
      evidence: sentence,
    };
  });
  return {
    id: 'free',
    type,
    ability: ABILITY[type],
    topic: '自拟题目',
    stem,
    keyPoints,
    outline: { 表态: '', 分析: '', 对策: [], 总结: '' },
    followUps: [],
  };
}
