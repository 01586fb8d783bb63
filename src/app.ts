// Wires the capabilities from a Config: the one place that decides local vs. remote parts.
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { Answerer } from './answer/answerer.ts';
import { loadBank } from './interview/bank.ts';
import { relatedDrillFinder } from './interview/related.ts';
import type { InterviewQuestion } from './interview/types.ts';
import { CircuitBreakerChatModel } from './answer/breaker.ts';
import { createOpenAIClient, OpenAIChatModel } from './answer/llm.ts';
import { buildIndex, type BuiltIndex } from './retrieval/build.ts';
import { OpenAIEmbedder } from './retrieval/embedder.ts';
import { retrieverHandle } from './retrieval/handle.ts';
import { createOpenAITranscriber, type Transcriber } from './interview/transcriber.ts';

export interface ReloadResult {
  essays: number;
  chunks: number;
  ms: number;
  warnings: string[];
  fromCache: boolean;
}

export interface App {
  config: Config;
  logger: Logger;
  /** `index.retriever` forwards to the current index, so a reload reaches every holder */
  index: BuiltIndex;
  startedAt: number;
  /** re-reads knowledge/ and swaps the index in atomically; questions meanwhile use the old one */
  reload(): Promise<ReloadResult>;
  answerer: Answerer;
  /** the model behind a circuit breaker; its health() feeds /status */
  chat?: CircuitBreakerChatModel;
  /** the interview question bank, read once on first use (undefined when it cannot be read) */
  bank?: InterviewQuestion[];
  /** speech to text for voice answers: only with a key and OPENAI_TRANSCRIPTION_MODEL */
  transcriber?: Transcriber;
}

export interface AppOptions {
  onProgress?: (done: number, total: number) => void;
  noCache?: boolean;
}

export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const client = config.openai ? await createOpenAIClient(config.openai) : undefined;
  const remoteEmbedder =
    client && config.openai?.embeddingModel ? new OpenAIEmbedder({ client, model: config.openai.embeddingModel }) : undefined;
  const build = (): Promise<BuiltIndex> =>
    buildIndex({
      knowledgeDir: config.knowledgeDir,
      dataDir: config.dataDir,
      chunking: { chunkSize: config.chunkSize, chunkOverlap: config.chunkOverlap },
      lsaDimensions: config.lsaDimensions,
      remoteEmbedder,
      logger,
      onProgress: options.onProgress,
      noCache: options.noCache,
    });
  const built = await build();
  const handle = retrieverHandle(built.retriever);
  const index: BuiltIndex = { ...built, retriever: handle.retriever };
  const rebuild = async (): Promise<ReloadResult> => {
    const next = await build();
    handle.swap(next.retriever);
    Object.assign(index, { ...next, retriever: handle.retriever });
    logger.info('index.reloaded', { essays: next.retriever.essays.length, chunks: next.retriever.chunks.length });
    return { essays: next.retriever.essays.length, chunks: next.retriever.chunks.length, ms: Math.round(next.buildMs), warnings: next.warnings, fromCache: next.fromCache };
  };
  // A reload asked for while one runs gets the next one: the running one may have read knowledge/
  // before the change (an upload) that asked; requests waiting together share that next one.
  let running: Promise<ReloadResult> | undefined;
  let queued: Promise<ReloadResult> | undefined;
  const reload = (): Promise<ReloadResult> => {
    if (!running) {
      running = rebuild().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return reload();
      });
    return queued;
  };
  const chat =
    client && config.openai ? new CircuitBreakerChatModel(new OpenAIChatModel(client, config.openai.model, config.openai.timeoutMs)) : undefined;
  // The question bank is read on first use (0.3–0.5 s of YAML): a question the essays cover needs
  // no drill, so a cached start answers it without the bank; one they do not cover may have a drill.
  let bank: InterviewQuestion[] | undefined;
  let bankRead = false;
  const readBank = (): InterviewQuestion[] | undefined => {
    if (bankRead) return bank;
    bankRead = true;
    try {
      bank = loadBank();
    } catch (error) {
      logger.warn('bank.unavailable_for_related_drills', { error });
    }
    return bank;
  };
  let findDrill: ReturnType<typeof relatedDrillFinder> | undefined;
  const relatedDrill = (question: string): ReturnType<ReturnType<typeof relatedDrillFinder>> => {
    const questions = readBank();
    if (!questions) return undefined;
    findDrill ??= relatedDrillFinder(questions);
    return findDrill(question);
  };
  const answerer = new Answerer({ retriever: index.retriever, chat, logger, topK: config.topK, relatedDrill });
  const transcriber = client && config.openai?.transcriptionModel ? createOpenAITranscriber(client, config.openai.transcriptionModel) : undefined;
  return {
    config,
    logger,
    index,
    answerer,
    chat,
    get bank() {
      return readBank();
    },
    transcriber,
    startedAt: Date.now(),
    reload,
  };
}
