import type { Chunk } from '../knowledge/types.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { Retriever, SearchHit, SearchResult } from '../retrieval/retriever.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { citationFor, validateCitations } from './citations.ts';
import { stripInjections } from './injection.ts';
import { withContinuations } from './continuation.ts';
import { withDefinition } from './definition.ts';
import { DEFAULT_EXTRACTIVE, selectSentences, sentenceKey, type ExtractiveOptions } from './extractive.ts';
import { describeLlmError, type ChatModel } from './llm.ts';
import { isMostlyLatin } from '../retrieval/normalize.ts';
import type { FigureKind } from '../retrieval/answerable.ts';
import { loadPrompt, renderPrompt } from './prompts.ts';
import type { Answer, Citation } from './types.ts';

export const EXAMPLE_QUESTIONS = [
  '北辰区的基层治理经验是什么?',
  '天津市怎样用网格化管理服务社区居民?',
  '芦篙村征地拆迁时怎样尊重民意?',
  '农村基层治理体制机制存在哪些问题?',
];

export const OUT_OF_SCOPE_MESSAGE =
  '抱歉,知识库里的文章没有涉及这个问题,我不想凭空编造。我能回答基层社会治理方面的问题。';

/** What introduces the suggested questions under a refusal (as buttons in the chat, a list in the CLI). */
export const SUGGESTIONS_INTRO = '可以问问这些:';

export interface AnswerOptions {
  /** the previous question(s), for follow-ups such as "那具体应该怎么做?" */
  context?: string;
  /** streaming (LLM mode): the answer text so far */
  onDelta?: (textSoFar: string) => void;
  signal?: AbortSignal;
  /** skip the model even when one is configured (e.g. a user's LLM budget is spent) */
  forceExtractive?: boolean;
  /** sentences quoted before in this conversation (a follow-up gets new material) */
  exclude?: ReadonlySet<string>;
}

/** A drill from the question bank on the topic of a question the essays do not cover. */
export interface RelatedDrill {
  id: string;
  topic: string;
}

export interface AnswererDeps {
  retriever: Retriever;
  /** finds a bank drill on the topic, offered when the essays do not cover a question */
  relatedDrill?: (question: string) => RelatedDrill | undefined;
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
    const chat = options.forceExtractive ? undefined : this.deps.chat;
    const finish = (partial: Omit<Answer, 'question' | 'ms'>): Answer => ({
      question,
      ...partial,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
    // a question in English: the model turns it into a Chinese search query (and answers in Chinese)
    const english = isMostlyLatin(asked);
    const searchText = english && chat ? ((await this.translateQuery(chat, asked)) ?? asked) : asked;
    const result = await this.deps.retriever.search(searchText, { k: this.topK, context: options.context });
    if (!result.covered) {
      const related = this.deps.relatedDrill?.(searchText);
      return finish(english && !chat ? englishOffline(undefined) : outOfScope(chat ? 'llm' : 'extractive', result, related));
    }
    const extractive = (): Omit<Answer, 'question' | 'ms'> => withGaps(this.extract(searchText, result, options), result);
    if (english && !chat) return finish(englishOffline(extractive()));
    if (chat) {
      try {
        return finish(withGaps(await this.answerWithModel(chat, searchText, result, options), result));
      } catch (error) {
        this.logger.warn('answer.llm_failed', { reason: describeLlmError(error) });
        return finish({ ...extractive(), notice: '大模型暂时不可用,以下是从文章中直接摘录的回答(摘录模式)。' });
      }
    }
    return finish(extractive());
  }

  /** The quoted answer from the passages found, reusing the retriever's analysis of the question. */
  private extract(question: string, result: SearchResult, options: AnswerOptions): Omit<Answer, 'question' | 'ms'> {
    const analyzed = { own: result.analyzed, context: result.contextAnalyzed };
    const extractive = this.deps.extractive ?? DEFAULT_EXTRACTIVE;
    const chunksOf = (essayId: string): readonly Chunk[] => this.deps.retriever.chunksOf(essayId);
    const hits = withContinuations(withDefinition(result.hits, extractive.passages, result.analyzed, chunksOf), extractive.passages, chunksOf);
    return extractiveAnswer(question, hits, (term) => this.deps.retriever.idf(term), extractive, options.context, options.exclude, analyzed);
  }

  /** The model's Chinese search query for an English question; undefined when it fails. */
  private async translateQuery(chat: ChatModel, question: string): Promise<string | undefined> {
    try {
      const output = await chat.complete([{ role: 'user', content: renderPrompt(loadPrompt('translate-query'), { question }) }], {
        temperature: 0,
        signal: AbortSignal.timeout(15_000),
      });
      const line = output.split('\n').map((l) => l.trim()).find((l) => l !== '');
      return line && /[\u4e00-\u9fff]/.test(line) && line.length <= 200 ? line : undefined;
    } catch (error) {
      this.logger.warn('answer.translate_failed', { reason: describeLlmError(error) });
      return undefined;
    }
  }

  private async answerWithModel(
    chat: ChatModel,
    question: string,
    result: SearchResult,
    options: AnswerOptions,
  ): Promise<Omit<Answer, 'question' | 'ms'>> {
    const excerpts = result.hits.map((hit, i) => fenceExcerpt(hit, i + 1)).join('\n\n');
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
        ...this.extract(question, result, options),
        notice: '模型的回答不符合要求,改为从文章中直接摘录(摘录模式)。',
      };
    }
    if (/^\W*NO_ANSWER\W*$/.test(text.trim())) return outOfScope('llm');
    const validated = validateCitations(text, result.hits);
    // an answer mostly made of sentences without a checkable source is not shown as the model's
    if (validated.citations.length === 0 || validated.uncitedSentences.length * 2 > validated.sentenceCount) {
      this.logger.warn('answer.llm_uncited', { uncited: validated.uncitedSentences.length, sentences: validated.sentenceCount });
      return {
        ...this.extract(question, result, options),
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

/**
 * One excerpt for the prompt, fenced as data: sentences in it that try to instruct the model are
 * left out, and the fence cannot be closed from inside the text.
 */
export function fenceExcerpt(hit: SearchHit, n: number): string {
  const source = `《${hit.essay.title}》${hit.chunk.section ? `(${hit.chunk.section})` : ''}`;
  const text = stripInjections(hit.chunk.text).text.replace(/<\/?\s*摘录/g, '〈摘录');
  return `<摘录 编号="${n}">\n[${n}] ${source}\n${text}\n</摘录>`;
}

/** True when a reply repeats a line of the system prompt (a prompt-injection success). */
export function leaksPrompt(text: string): boolean {
  const reply = normalizeForMatch(text);
  return loadPrompt('answer-system')
    .split('\n')
    .map(normalizeForMatch)
    .some((line) => line.length >= 12 && reply.includes(line.slice(0, 24)));
}

const ENGLISH_OFFLINE = '请用中文提问:现在是离线摘录模式,不能翻译英文问题,也不能用英文作答。';

/** Offline, an English question gets a polite request for Chinese, and the closest passages if any. */
function englishOffline(closest: Omit<Answer, 'question' | 'ms'> | undefined): Omit<Answer, 'question' | 'ms'> {
  if (!closest || closest.citations.length === 0) {
    return { ...outOfScope('extractive'), answer: `${ENGLISH_OFFLINE}知识库里也没有找到和您的问题相近的内容。` };
  }
  return { ...closest, coverage: 'partial', gaps: undefined, notice: `${ENGLISH_OFFLINE}下面是按您问题里的关键词找到的最接近的原文:` };
}

// what a question is about: nouns, names and abbreviations (jieba's tags), else its verbs;
// never 要是、而已、几年、那边、直接、一天到晚 (conjunctions, particles, numerals, pronouns, adverbs, idioms)
const NOUN_TAG = /^(?:n|vn|an|j|eng)/;

/** The question's words among `words` that name what it is about, in the question's order. */
function topicWords(words: string[], result: SearchResult): string[] {
  const tagOf = new Map(result.analyzed.groups.map((g) => [g.term, g.tag ?? '']));
  const nouns = words.filter((word) => NOUN_TAG.test(tagOf.get(word) ?? ''));
  return nouns.length > 0 ? nouns : words.filter((word) => tagOf.get(word) === 'v' && word.length >= 2);
}

/** A partly covered question says plainly what the essays do and do not say. */
function withGaps(answer: Omit<Answer, 'question' | 'ms'>, result: SearchResult): Omit<Answer, 'question' | 'ms'> {
  if (result.coverage !== 'partial' || answer.coverage === 'none') return answer;
  const quote = (words: string[]): string => words.slice(0, 3).map((w) => `“${w}”`).join('、');
  const found = topicWords(result.found, result);
  const missing = topicWords(result.missing, result);
  const gaps =
    found.length > 0 && missing.length > 0
      ? `文章只部分涉及这个问题:谈到了${quote(found)},没有直接谈到${quote(missing)}。以下是最接近的内容。`
      : '文章只部分涉及这个问题,以下是最接近的内容,未必完全回答了您问的。';
  return { ...answer, coverage: 'partial', gaps };
}

/** What the essays do not give, said by the kind of detail the question asks for. */
const MISSING_DETAIL: Record<FigureKind, string> = {
  year: '这方面的具体时间',
  money: '这方面的具体金额',
  count: '这方面的具体数字',
  duration: '这方面的具体时长',
  place: '这方面的具体地点',
  person: '这个职务上的具体人名',
  agent: '这件事具体由谁负责',
  exam: '考试的具体科目和内容',
  condition: '具体的条件和要求',
  contact: '电话、网址这类联系方式',
};

function outOfScope(mode: 'extractive' | 'llm', result?: SearchResult, related?: RelatedDrill): Omit<Answer, 'question' | 'ms'> {
  const specifics = result?.unknownSpecifics ?? [];
  const lead =
    specifics.length > 0
      ? `知识库里的文章没有提到“${specifics.slice(0, 3).join('”“')}”,这个问题我答不了,也不想凭空编造。`
      : result?.figureMissing
        ? `知识库里的文章没有给出${MISSING_DETAIL[result.figureKind ?? 'count']},我不想凭空编造。`
        : result?.unlistedSet
          ? result.unlistedSet.named.length > 0
            ? `文章提到了“${result.unlistedSet.named[0]}”这个说法,但没有逐项列出具体是哪些,我不想凭空编造。`
            : '知识库里的文章没有逐项列出您问的这几项,我不想凭空编造。'
          : OUT_OF_SCOPE_MESSAGE;
  const tail = related ? `题库里有一道相关的面试题「${related.topic}」,发送 /drill ${related.id} 可以练一练。` : '';
  return {
    grounded: false,
    coverage: 'none',
    mode,
    relatedDrill: related,
    // the suggestions are not written into the text: the chat shows them as buttons, the CLI as a list
    answer: `${lead}${tail}`,
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
  exclude?: ReadonlySet<string>,
  analyzed?: Parameters<typeof selectSentences>[6],
): Omit<Answer, 'question' | 'ms'> {
  const sentences = selectSentences(question, hits, idf, options, context, exclude, analyzed);
  if (sentences.length === 0 && exclude && exclude.size > 0) {
    return {
      grounded: false,
      coverage: 'none',
      mode: 'extractive',
      answer: '文章里关于这一点没有更多内容了。可以换个角度问,或发送 /essays 浏览全文。',
      citations: [],
      uncitedSentences: [],
      suggestions: [],
      quoted: [],
    };
  }
  const numbers = new Map<string, number>();
  const citations: Citation[] = [];
  const parts = sentences.map((sentence) => {
    let n = numbers.get(sentence.hit.chunk.id);
    if (n === undefined) {
      n = citations.length + 1;
      numbers.set(sentence.hit.chunk.id, n);
      citations.push(citationFor(sentence.hit, n));
    }
    // a first-person sentence ("我镇…") is the essay's voice, not ours: say whose it is
    return `${sentence.attribution ?? ''}${sentence.text}[${n}]`;
  });
  return {
    grounded: citations.length > 0,
    coverage: citations.length > 0 ? 'covered' : 'none',
    mode: 'extractive',
    quoted: sentences.map(sentenceKey),
    answer: parts.join(''),
    citations,
    uncitedSentences: [],
    suggestions: [],
  };
}
