import type OpenAI from 'openai';
import { LsaModel, type LsaModelData } from './lsa.ts';

/** Turns texts into vectors for the dense index. */
export interface Embedder {
  /** names the model, part of the index cache key, e.g. "local-lsa-64" or "openai:text-embedding-3-small" */
  readonly id: string;
  /** human-readable name for logs and /status */
  readonly label: string;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

/** LSA trained on the knowledge base itself: offline, no downloaded weights. */
export class LocalLsaEmbedder implements Embedder {
  readonly id: string;
  readonly label = '本地 LSA 语义向量(TF-IDF + SVD,由知识库训练)';

  constructor(readonly model: LsaModel) {
    this.id = `local-lsa-${model.dimensions}`;
  }

  static train(texts: string[], dimensions = 64): LocalLsaEmbedder {
    return new LocalLsaEmbedder(LsaModel.train(texts, dimensions));
  }

  /** Trains on passages already tokenised and returns their vectors with it. */
  static trainOnTerms(docs: string[][], dimensions = 64, onStep?: (done: number, total: number) => void): { embedder: LocalLsaEmbedder; vectors: number[][] } {
    const { model, vectors } = LsaModel.trainOnTerms(docs, dimensions, undefined, onStep);
    return { embedder: new LocalLsaEmbedder(model), vectors };
  }

  /** As trainOnTerms, with the passages as ids into `terms` (see TermTable). */
  static trainOnTermIds(
    docs: Uint32Array[],
    terms: string[],
    dimensions = 64,
    onStep?: (done: number, total: number) => void,
  ): { embedder: LocalLsaEmbedder; vectors: number[][] } {
    const { model, vectors } = LsaModel.trainOnTermIds(docs, terms, dimensions, undefined, onStep);
    return { embedder: new LocalLsaEmbedder(model), vectors };
  }

  static fromData(data: LsaModelData): LocalLsaEmbedder {
    return new LocalLsaEmbedder(LsaModel.fromData(data));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.model.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.model.embed(text);
  }

  /** Vectors of passages added after training, from their index terms (folded into the trained space). */
  embedTerms(docs: string[][]): number[][] {
    return docs.map((terms) => this.model.embedTerms(terms));
  }
}

export interface OpenAIEmbedderOptions {
  client: OpenAI;
  model: string;
  batchSize?: number;
}

/** The embeddings endpoint of any OpenAI-compatible server. */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly label: string;
  private readonly batchSize: number;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.id = `openai:${options.model}`;
    this.label = `OpenAI 兼容向量模型 ${options.model}`;
    this.batchSize = options.batchSize ?? 64;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      // the SDK retries 429/5xx/timeouts itself (maxRetries on the client)
      const response = await this.options.client.embeddings.create({
        model: this.options.model,
        input: batch,
        encoding_format: 'float',
      });
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      if (ordered.length !== batch.length) throw new Error(`embeddings: expected ${batch.length} vectors, got ${ordered.length}`);
      out.push(...ordered.map((item) => item.embedding));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector;
  }
}
