// Wires the capabilities from a Config: the one place that decides local vs. remote parts.
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { Answerer } from './answer/answerer.ts';
import { CircuitBreakerChatModel } from './answer/breaker.ts';
import { createOpenAIClient, OpenAIChatModel } from './answer/llm.ts';
import { buildIndex, type BuiltIndex } from './retrieval/build.ts';
import { OpenAIEmbedder } from './retrieval/embedder.ts';

export interface App {
  config: Config;
  logger: Logger;
  index: BuiltIndex;
  answerer: Answerer;
  /** the model behind a circuit breaker; its health() feeds /status */
  chat?: CircuitBreakerChatModel;
}

export interface AppOptions {
  onProgress?: (done: number, total: number) => void;
  noCache?: boolean;
}

export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const client = config.openai ? createOpenAIClient(config.openai) : undefined;
  const remoteEmbedder =
    client && config.openai?.embeddingModel ? new OpenAIEmbedder({ client, model: config.openai.embeddingModel }) : undefined;
  const index = await buildIndex({
    knowledgeDir: config.knowledgeDir,
    dataDir: config.dataDir,
    chunking: { chunkSize: config.chunkSize, chunkOverlap: config.chunkOverlap },
    lsaDimensions: config.lsaDimensions,
    remoteEmbedder,
    logger,
    onProgress: options.onProgress,
    noCache: options.noCache,
  });
  const chat =
    client && config.openai ? new CircuitBreakerChatModel(new OpenAIChatModel(client, config.openai.model, config.openai.timeoutMs)) : undefined;
  const answerer = new Answerer({ retriever: index.retriever, chat, logger, topK: config.topK });
  return { config, logger, index, answerer, chat };
}
