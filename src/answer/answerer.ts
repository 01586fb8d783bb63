import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { Retriever, SearchHit, SearchResult } from '../retrieval/retriever.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { citationFor, validateCitations } from './citations.ts';
import { stripInjections } from './injection.ts';
import { DEFAULT_EXTRACTIVE, selectSentences, type ExtractiveOptions } from './extractive.ts';
import { describeLlmError, type ChatModel } from './llm.ts';
import { loadPrompt, renderPrompt } from './prompts.ts';
import type { Answer, Citation } from './types.ts';

export const EXAMPLE_QUESTIONS = [
  '北辰区的基层治理经验是什么?',
  '天津市怎样用网格化管理服务社区居民?',
  '芦篙村征地拆迁时怎样尊重民意?',
  '农村基层治理体制机制存在哪些问题?',
];

export const OUT_OF_SCOPE_MESSAGE =
  '抱歉,知识库里的文章没有涉及这个问题,我不想凭空编造。我能回答基层社会治理方面的问题,比如:';

export interface AnswerOptions {
  /** the previous question(s), for follow-ups such as "那具体应该怎么做?" */
  context?: string;
  /** streaming (LLM mode): the answer text so far */
  onDelta?: (textSoFar: string) => void;
  signal?: AbortSignal;
  /** skip the model even when one is configured (e.g. a user's LLM budget is spent) */
  forceExtractive?: boolean;
}

export interface AnswererDeps {
  retriever: Retriever;
  chat?: ChatModel;
  logger?: Logger;
  topK?: number;
  extractive?: ExtractiveOptions;
}

export class Answerer {
  private readonly logger: Logger;
  private readonly topK: number;

  constructor(private readonly deps: AnswererDeps) {
    this.logger = deps.logger ?? silentLogger;
    this.topK = deps.topK ?? 5;
  }

  get mode(): 'extractive' | 'llm' {
    return this.deps.chat ? 'llm' : 'extractive';
  }

  get retriever(): Retriever {
    return this.deps.retriever;
  }

  async answer(question: string, options: AnswerOptions = {}): Promise<Answer> {
    const started = performance.now();
    // sentences that try to instruct the model are not part of the question
    const asked = stripInjections(question).text.trim() || question;
    const result = await this.deps.retriever.search(asked, { k: this.topK, context: options.context });
    const finish = (partial: Omit<Answer, 'question' | 'ms'>): Answer => ({
      question,
      ...partial,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
    if (!result.covered) return finish(outOfScope(this.mode));
    if (this.deps.chat && !options.forceExtractive) {
      try {
        return finish(await this.answerWithModel(this.deps.chat, asked, result, options));
      } catch (error) {
        this.logger.warn('answer.llm_failed', { reason: describeLlmError(error) });
        return finish({
          ...extractiveAnswer(asked, result.hits, (term) => this.deps.retriever.idf(term), this.deps.extractive, options.context),
          notice: '大模型暂时不可用,以下是从文章中直接摘录的回答(摘录模式)。',
        });
      }
    }
    return finish(extractiveAnswer(asked, result.hits, (term) => this.deps.retriever.idf(term), this.deps.extractive, options.context));
  }

  private async answerWithModel(
    chat: ChatModel,
    question: string,
    result: SearchResult,
    options: AnswerOptions,
  ): Promise<Omit<Answer, 'question' | 'ms'>> {
    const excerpts = result.hits
      .map((hit, i) => `[${i + 1}] 《${hit.essay.title}》${hit.chunk.section ? `(${hit.chunk.section})` : ''}\n${hit.chunk.text}`)
      .join('\n\n');
    const text = await chat.complete(
      [
        { role: 'system', content: loadPrompt('answer-system') },
        { role: 'user', content: renderPrompt(loadPrompt('answer-user'), { excerpts, question }) },
      ],
      { temperature: 0.2, onDelta: options.onDelta, signal: options.signal },
    );
    if (leaksPrompt(text)) {
      // a question that talked the model into reciting its instructions gets the quotes instead
      this.logger.warn('answer.prompt_leak_blocked');
      return {
        ...extractiveAnswer(question, result.hits, (term) => this.deps.retriever.idf(term), this.deps.extractive, options.context),
        notice: '模型的回答不符合要求,改为从文章中直接摘录(摘录模式)。',
      };
    }
    if (/^\W*NO_ANSWER\W*$/.test(text.trim())) return outOfScope('llm');
    const validated = validateCitations(text, result.hits);
    if (validated.citations.length === 0) {
      this.logger.warn('answer.llm_uncited');
      return {
        ...extractiveAnswer(question, result.hits, (term) => this.deps.retriever.idf(term), this.deps.extractive, options.context),
        notice: '模型的回答没有给出可核对的出处,改为从文章中直接摘录(摘录模式)。',
      };
    }
    return {
      grounded: true,
      coverage: 'covered',
      mode: 'llm',
      answer: validated.text,
      citations: validated.citations,
      uncitedSentences: validated.uncitedSentences,
      suggestions: [],
    };
  }
}

/** True when a reply repeats a line of the system prompt (a prompt-injection success). */
export function leaksPrompt(text: string): boolean {
  const reply = normalizeForMatch(text);
  return loadPrompt('answer-system')
    .split('\n')
    .map(normalizeForMatch)
    .some((line) => line.length >= 12 && reply.includes(line.slice(0, 24)));
}

function outOfScope(mode: 'extractive' | 'llm'): Omit<Answer, 'question' | 'ms'> {
  return {
    grounded: false,
    coverage: 'none',
    mode,
    answer: `${OUT_OF_SCOPE_MESSAGE}${EXAMPLE_QUESTIONS.slice(0, 3).map((q) => `「${q}」`).join('')}`,
    citations: [],
    uncitedSentences: [],
    suggestions: EXAMPLE_QUESTIONS.slice(0, 3),
  };
}

/** Verbatim sentences, each followed by the [n] of the passage it comes from. */
export function extractiveAnswer(
  question: string,
  hits: SearchHit[],
  idf: (term: string) => number,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE,
  context?: string,
): Omit<Answer, 'question' | 'ms'> {
  const sentences = selectSentences(question, hits, idf, options, context);
  const numbers = new Map<string, number>();
  const citations: Citation[] = [];
  const parts = sentences.map((sentence) => {
    let n = numbers.get(sentence.hit.chunk.id);
    if (n === undefined) {
      n = citations.length + 1;
      numbers.set(sentence.hit.chunk.id, n);
      citations.push(citationFor(sentence.hit, n));
    }
    return `${sentence.text}[${n}]`;
  });
  return {
    grounded: citations.length > 0,
    coverage: citations.length > 0 ? 'covered' : 'none',
    mode: 'extractive',
    answer: parts.join(''),
    citations,
    uncitedSentences: [],
    suggestions: [],
  };
}
