import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { ChunkingOptions } from '../knowledge/chunk.ts';
import type { Chunk } from '../knowledge/types.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { Bm25Index } from './bm25.ts';
import { CorpusText } from './corpus-text.ts';
import { LocalLsaEmbedder, type Embedder } from './embedder.ts';
import { addToPrevious, cachedEmbedder, lexicalTermIds, persistIndex, remember, searchParts, type Added } from './incremental.ts';
import { PassageGrams } from './passage-grams.ts';
import { INDEX_FILE, readCachedIndex, VECTORS_FILE, type SourceManifest } from './index-cache.ts';
import { indexingCodeVersion, sourceFiles } from './source-files.ts';
import { DEFAULT_RETRIEVAL, Retriever, type RetrievalSettings } from './retriever.ts';
import { readingsOf } from './sound.ts';
import { TermEncoder } from './tokenize.ts';
import { buildVectorIndex, efFor } from './vector-index.ts';

const { HierarchicalNSW } = hnswlib;
// Bump when the cached format changes meaning (the indexing code's own changes are hashed in).
const INDEX_FORMAT = 6;

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
  /** build everything again even when the files only grew (benchmarks, tests) */
  fullRebuild?: boolean;
}

export interface BuiltIndex {
  retriever: Retriever;
  fromCache: boolean;
  warnings: string[];
  cacheKey: string;
  buildMs: number;
  /** set when files were added to an existing index instead of building everything again */
  incremental?: Added;
}

/** Names the code and the settings an index is built with; the files' fingerprint completes the cache key. */
function configKeyOf(options: BuildOptions): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        INDEX_FORMAT,
        code: indexingCodeVersion(),
        chunking: options.chunking,
        lsa: options.lsaDimensions,
        embedder: options.remoteEmbedder?.id ?? 'local-lsa',
      }),
    )
    .digest('hex')
    .slice(0, 24);
}

/**
 * Loads knowledge/, then loads the cached index for it, or adds the new files to the index it
 * grew from (see incremental.ts), or builds (and caches) a new one.
 */
export async function buildIndex(options: BuildOptions): Promise<BuiltIndex> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  // with the cache, files unchanged since they were last hashed (same size, times, inode) are not read again
  const source = sourceFiles(options.knowledgeDir, options.noCache ? undefined : options.dataDir);
  const configKey = configKeyOf(options);
  const cacheKey = createHash('sha256').update(configKey).update(source.fingerprint).digest('hex').slice(0, 24);
  const dir = join(options.dataDir, 'index', cacheKey);
  const settings = options.settings ?? DEFAULT_RETRIEVAL;
  const onDenseFailure = (error: unknown): void => logger.warn('retrieval.dense_failed', { error });

  if (!options.noCache && existsSync(join(dir, INDEX_FILE))) {
    try {
      const cached = readCachedIndex(join(dir, INDEX_FILE));
      const embedder = cachedEmbedder(cached, options.remoteEmbedder);
      if (embedder && embedder.id === cached.embedderId) {
        for (const warning of cached.warnings) logger.warn('knowledge.skipped', { warning });
        const vectors = new HierarchicalNSW('cosine', cached.dimensions);
        vectors.readIndexSync(join(dir, VECTORS_FILE));
        vectors.setEf(efFor(cached.chunks.length));
        const retriever = new Retriever(cached.essays, cached.chunks, embedder, vectors, settings, onDenseFailure, searchParts(cached, settings));
        if (cached.manifest) remember(options.dataDir, dir, cached.manifest, retriever);
        logger.info('index.loaded', { cacheKey, chunks: cached.chunks.length });
        return { retriever, fromCache: true, warnings: cached.warnings, cacheKey, buildMs: performance.now() - started };
      }
    } catch (error) {
      logger.warn('index.cache_unreadable', { cacheKey, error });
    }
  }

  if (!options.noCache && !options.fullRebuild) {
    const added = await addToPrevious({ ...options, settings, logger, source, configKey, dir, onDenseFailure });
    if (added) {
      logger.info('index.extended', { cacheKey, ...added.incremental });
      return { ...added, cacheKey, buildMs: performance.now() - started };
    }
  }

  // the loader (YAML, the extraction cache) is imported only when files are read: not on a cached start
  const { loadEssays } = await import('../knowledge/load.ts');
  const { essays, warnings, sources } = await loadEssays(options.knowledgeDir, { cacheDir: options.noCache ? undefined : join(options.dataDir, 'extracted') });
  for (const warning of warnings) logger.warn('knowledge.skipped', { warning });
  const { chunkEssay } = await import('../knowledge/chunk.ts');
  const chunks: Chunk[] = [];
  for (const essay of essays) chunks.push(...(await chunkEssay(essay, options.chunking)));
  const texts = chunks.map((chunk) => chunk.text);
  // progress in passages over three stages: tokenising, vectors (LSA or remote), the HNSW graph
  const count = texts.length;
  const total = count * 3;
  const progress = (done: number): void => options.onProgress?.(Math.min(done, total), total);
  // each passage is tokenised once, for the LSA model, its vector and the lexical index; its
  // terms are kept as integers (one string per distinct term, not per occurrence)
  const encoder = new TermEncoder();
  const terms: Uint32Array[] = [];
  for (const text of texts) {
    terms.push(encoder.encode(text));
    if (terms.length % 200 === 0) progress(terms.length);
  }
  const vocabulary = encoder.table.terms;
  const lexical = Bm25Index.fromTermIds(lexicalTermIds(chunks, terms, encoder), vocabulary, settings.bm25);
  const grams = PassageGrams.fromTermIds(texts, terms, vocabulary);
  progress(count);
  let embedder: Embedder;
  let vectors: number[][];
  const trainLocal = (): { embedder: Embedder; vectors: number[][] } =>
    LocalLsaEmbedder.trainOnTermIds(terms, vocabulary, options.lsaDimensions, (done, steps) => progress(count + Math.round((done / steps) * count)));
  if (options.remoteEmbedder) {
    try {
      vectors = [];
      const batch = 64;
      for (let i = 0; i < texts.length; i += batch) {
        vectors.push(...(await options.remoteEmbedder.embedDocuments(texts.slice(i, i + batch))));
        progress(count + Math.min(i + batch, count));
      }
      embedder = options.remoteEmbedder;
    } catch (error) {
      logger.warn('index.remote_embeddings_failed', { error, fallback: 'local-lsa' });
      ({ embedder, vectors } = trainLocal());
    }
  } else {
    ({ embedder, vectors } = trainLocal());
  }
  const dimensions = vectors[0]?.length ?? 1;
  const index = buildVectorIndex(vectors, dimensions, (done) => progress(2 * count + done));
  // after the vectors: the training's working memory is free again by then (peak memory at 1000×)
  const corpus = CorpusText.build(essays);
  progress(total);
  // the sound-alike table's readings, kept in the cache; with no cache nothing is kept, so nothing looked up
  const readings = options.noCache ? undefined : readingsOf(lexical.terms());
  const retriever = new Retriever(essays, chunks, embedder, index, settings, onDenseFailure, { lexical, grams, corpus, readings });

  if (!options.noCache) {
    const outcome = new Map(sources.map((entry) => [entry.name, entry]));
    const manifest: SourceManifest = {
      configKey,
      files: source.files.map((file) => ({ ...file, essayId: outcome.get(file.name)?.essayId, warning: outcome.get(file.name)?.warning })),
      listingWarnings: source.listingWarnings,
      trainedPassages: chunks.length,
    };
    persistIndex(options.dataDir, dir, index, retriever, manifest, warnings, logger);
  }
  logger.info('index.built', { cacheKey, essays: essays.length, chunks: chunks.length, embedder: embedder.id });
  return { retriever, fromCache: false, warnings, cacheKey, buildMs: performance.now() - started };
}
