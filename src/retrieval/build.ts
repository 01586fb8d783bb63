import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { chunkEssay, type ChunkingOptions } from '../knowledge/chunk.ts';
import { loadEssays } from '../knowledge/load.ts';
import type { Chunk, Essay } from '../knowledge/types.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { LocalLsaEmbedder, type Embedder } from './embedder.ts';
import type { LsaModelData } from './lsa.ts';
import { DEFAULT_RETRIEVAL, Retriever, type RetrievalSettings } from './retriever.ts';
import { buildVectorIndex } from './vector-index.ts';

const { HierarchicalNSW } = hnswlib;
// Bump when the cached format or the indexing code changes meaning.
const INDEX_FORMAT = 4;

export interface BuildOptions {
  knowledgeDir: string;
  dataDir: string;
  chunking: ChunkingOptions;
  lsaDimensions: number;
  /** a remote embedder (OpenAI-compatible); without one the local LSA embedder is trained */
  remoteEmbedder?: Embedder;
  settings?: RetrievalSettings;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  /** skip the on-disk cache (benchmarks, tests) */
  noCache?: boolean;
}

export interface BuiltIndex {
  retriever: Retriever;
  fromCache: boolean;
  warnings: string[];
  cacheKey: string;
  buildMs: number;
}

interface Manifest {
  format: number;
  embedderId: string;
  dimensions: number;
  chunks: Chunk[];
  lsa?: LsaModelData;
}

function cacheKeyOf(essays: Essay[], options: BuildOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ INDEX_FORMAT, chunking: options.chunking, lsa: options.lsaDimensions, embedder: options.remoteEmbedder?.id ?? 'local-lsa' }));
  for (const essay of essays) hash.update(JSON.stringify([essay.id, essay.file, essay.text]));
  return hash.digest('hex').slice(0, 24);
}

/** Loads knowledge/, then loads the cached index for it or builds (and caches) a new one. */
export async function buildIndex(options: BuildOptions): Promise<BuiltIndex> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const { essays, warnings } = await loadEssays(options.knowledgeDir, { cacheDir: options.noCache ? undefined : join(options.dataDir, 'extracted') });
  for (const warning of warnings) logger.warn('knowledge.skipped', { warning });
  const cacheKey = cacheKeyOf(essays, options);
  const dir = join(options.dataDir, 'index', cacheKey);
  const settings = options.settings ?? DEFAULT_RETRIEVAL;
  const onDenseFailure = (error: unknown): void => logger.warn('retrieval.dense_failed', { error });

  if (!options.noCache && existsSync(join(dir, 'manifest.json'))) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
      const embedder = manifest.lsa ? LocalLsaEmbedder.fromJSON(manifest.lsa) : options.remoteEmbedder;
      if (manifest.format === INDEX_FORMAT && embedder && embedder.id === manifest.embedderId) {
        const vectors = new HierarchicalNSW('cosine', manifest.dimensions);
        vectors.readIndexSync(join(dir, 'vectors.hnsw'));
        vectors.setEf(Math.max(50, Math.min(200, manifest.chunks.length)));
        const retriever = new Retriever(essays, manifest.chunks, embedder, vectors, settings, onDenseFailure);
        logger.info('index.loaded', { cacheKey, chunks: manifest.chunks.length });
        return { retriever, fromCache: true, warnings, cacheKey, buildMs: performance.now() - started };
      }
    } catch (error) {
      logger.warn('index.cache_unreadable', { cacheKey, error });
    }
  }

  const chunks: Chunk[] = [];
  for (const essay of essays) chunks.push(...(await chunkEssay(essay, options.chunking)));
  const texts = chunks.map((chunk) => chunk.text);
  let embedder: Embedder;
  let vectors: number[][];
  const total = texts.length;
  if (options.remoteEmbedder) {
    try {
      vectors = [];
      const batch = 64;
      for (let i = 0; i < texts.length; i += batch) {
        vectors.push(...(await options.remoteEmbedder.embedDocuments(texts.slice(i, i + batch))));
        options.onProgress?.(Math.min(i + batch, total), total);
      }
      embedder = options.remoteEmbedder;
    } catch (error) {
      logger.warn('index.remote_embeddings_failed', { error, fallback: 'local-lsa' });
      embedder = LocalLsaEmbedder.train(texts, options.lsaDimensions);
      vectors = await embedder.embedDocuments(texts);
    }
  } else {
    embedder = LocalLsaEmbedder.train(texts, options.lsaDimensions);
    vectors = await embedder.embedDocuments(texts);
    options.onProgress?.(total, total);
  }
  const dimensions = vectors[0]?.length ?? 1;
  const index = buildVectorIndex(vectors, dimensions);
  const retriever = new Retriever(essays, chunks, embedder, index, settings, onDenseFailure);

  if (!options.noCache) {
    try {
      // write to a temporary folder, then rename: a crash never leaves a half-written cache
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      index.writeIndexSync(join(tmp, 'vectors.hnsw'));
      const manifest: Manifest = {
        format: INDEX_FORMAT,
        embedderId: embedder.id,
        dimensions,
        chunks,
        lsa: embedder instanceof LocalLsaEmbedder ? embedder.model.toJSON() : undefined,
      };
      writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest));
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } catch (error) {
      logger.warn('index.cache_write_failed', { error });
    }
  }
  logger.info('index.built', { cacheKey, essays: essays.length, chunks: chunks.length, embedder: embedder.id });
  return { retriever, fromCache: false, warnings, cacheKey, buildMs: performance.now() - started };
}
