// Follow-up questions ("那具体应该怎么做?"): which ones are, and how they are made answerable.
// With a model: rewrite the question from the recent turns (prompts/rewrite-followup.md).
// Offline, or when the model fails: answer the question with the previous topic as retrieval
// context (its key terms weigh in at half weight, see Retriever.search).
import type { ChatModel } from '../answer/llm.ts';
import { loadPrompt, renderPrompt } from '../answer/prompts.ts';
import type { Logger } from '../log.ts';
import { analyzeQuery } from '../retrieval/query.ts';
import { isBigramTerm } from '../retrieval/tokenize.ts';
import { MAX_TURNS, type Turn } from './context.ts';

/** A conversation older than this has no context left to follow up on. */
export const FOLLOWUP_TTL_MS = 2 * 60 * 60 * 1000;

/** Questions no longer than this may be follow-ups even without a telltale opening. */
export const SHORT_QUESTION = 40;

const OPENERS =
  /^(那|那么|还有|还要|还能|还应|另外|此外|然后|接着|具体|详细|展开|进一步|再说|再讲|再具体|继续|怎么做|如何做|该怎么|应该怎么|要怎么|这个|这些|这样|这种|那个|那些|它|其中|上面|上述|刚才|前面|以上|举个例子|比如呢|有没有例子|能不能|可以再)/;
const BARE = /^(呢|吗|然后呢|还有呢|为什么|怎么做|具体呢|举例|例子)[?？。!！]*$/;

/** True for questions that only make sense after the previous one. */
export function looksLikeFollowUp(text: string): boolean {
  const q = text.trim().replace(/^[,，\s]+/, '');
  if (q.length === 0 || q.length > SHORT_QUESTION) return false;
  return OPENERS.test(q) || BARE.test(q) || /^[^?？]{0,8}呢[?？]?$/.test(q);
}

/** The turn a follow-up now refers to: the last one, if it was answered and is recent. */
export function previousTurn(turns: Turn[], now = Date.now()): Turn | undefined {
  const last = turns[turns.length - 1];
  if (!last || !last.grounded || now - last.at > FOLLOWUP_TTL_MS) return undefined;
  return last;
}

export function rememberTurn(turns: Turn[], turn: Turn): Turn[] {
  return [...turns, turn].slice(-MAX_TURNS);
}

export interface FollowUpPlan {
  /** the question given to the answerer */
  question: string;
  /** retrieval context (offline follow-up) */
  context?: string;
  /** what later follow-ups refer to */
  topic: string;
  understood: { kind: 'rewrite' | 'context'; text: string };
}

/**
 * Words of the question that appear nowhere in the essays ("明天北京的天气" → 天气 …). A question
 * with such words is about something else, not a vague follow-up: the previous topic must not
 * make it look covered.
 */
export function unknownWords(retriever: { idf(term: string): number }, question: string): string[] {
  const unseen = retriever.idf('\u0000never-a-term');
  return analyzeQuery(question)
    .groups.filter((group) => !isBigramTerm(group.term))
    .filter((group) => group.alternatives.every((term) => retriever.idf(term) >= unseen - 1e-9))
    .map((group) => group.term);
}

/** Context approach: same words, previous topic as retrieval context. */
export function contextPlan(text: string, previous: Turn): FollowUpPlan {
  return { question: text, context: previous.topic, topic: previous.topic, understood: { kind: 'context', text: previous.topic } };
}

const REWRITE_TIMEOUT_MS = 15_000;

/** Cleans the model's rewrite; undefined when it is not a usable question. */
export function cleanRewrite(output: string): string | undefined {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (!line) return undefined;
  const q = line
    .replace(/^(改写后的问题|改写后|改写|问题|新问题)\s*[::]\s*/, '')
    .replace(/^["“「『'‘]+|["”」』'’]+$/g, '')
    .trim();
  if (q.length < 2 || q.length > 200 || /NO_ANSWER/.test(q)) return undefined;
  return q;
}

/**
 * Rewrites a follow-up into a self-contained question with the model; undefined when the
 * model fails or returns nothing usable (the caller then uses the context approach).
 */
export async function rewriteFollowUp(chat: ChatModel, turns: Turn[], text: string, logger: Logger): Promise<string | undefined> {
  const history = turns
    .filter((t) => t.grounded)
    .slice(-3)
    .map((t) => `用户:${t.q}\n助手:${t.a}`)
    .join('\n\n');
  try {
    const output = await chat.complete([{ role: 'user', content: renderPrompt(loadPrompt('rewrite-followup'), { history, question: text }) }], {
      temperature: 0,
      signal: AbortSignal.timeout(REWRITE_TIMEOUT_MS),
    });
    return cleanRewrite(output);
  } catch (error) {
    logger.warn('bot.followup_rewrite_failed', { error });
    return undefined;
  }
}

export interface FollowUpInput {
  text: string;
  turns: Turn[];
  previous: Turn;
  /** the model, in LLM mode */
  chat?: ChatModel;
  retriever: { idf(term: string): number };
  logger: Logger;
}

/**
 * A follow-up made answerable: rewritten by the model when there is one, else (or when the
 * model fails) the previous topic as retrieval context. Undefined when neither applies: the
 * question is then answered on its own.
 */
export async function planFollowUp(input: FollowUpInput): Promise<FollowUpPlan | undefined> {
  const { text, turns, previous, chat, retriever, logger } = input;
  if (chat) {
    const rewritten = await rewriteFollowUp(chat, turns, text, logger);
    // the model echoing the question means it saw no follow-up; the context may still help
    if (rewritten && rewritten !== text.trim()) {
      return { question: rewritten, topic: rewritten, understood: { kind: 'rewrite', text: rewritten } };
    }
  }
  return unknownWords(retriever, text).length === 0 ? contextPlan(text, previous) : undefined;
}

/** The start of an answer, without citation markers, for the rewrite prompt's history. */
export function answerBrief(answer: string, max = 160): string {
  const text = answer.replace(/\[\d+\]/g, '').replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
