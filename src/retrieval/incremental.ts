// Adding documents to an index without building everything again. When the knowledge files only
// grew (an upload, `cli ingest`) since an index was cached, the new files are read, chunked and
// tokenised alone:
// - the lexical index, the passages' bigrams and the normalised corpus get the new passages as a
//   second segment; the built one is shared, not copied. Lexical scores are the ones a full
//   rebuild gives (same document frequencies, lengths and average length);
// - with local LSA vectors, the new passages are folded into the trained space: projected with
//   the model as it is, words it does not know left out. The space drifts from what training on
//   everything would give, so once the passages added since the last full build exceed
//   FOLD_IN_LIMIT of those it was trained on, everything is built again. A remote embedder just
//   embeds the new passages: its space does not depend on the corpus;
// - the HNSW graph is read from the old cache and the new vectors inserted.
// Anything else (a file removed or changed, an id that clashes) builds everything again.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkingOptions } from '../knowledge/chunk.ts';
import { EssayFileError, readEssayBytes } from '../knowledge/files.ts';
import type { Chunk, Essay } from '../knowledge/types.ts';
import type { Logger } from '../log.ts';
import { Bm25Index } from './bm25.ts';
import { pruneIndexCaches } from './cache-prune.ts';
import { CorpusText } from './corpus-text.ts';
import { LocalLsaEmbedder, type Embedder } from './embedder.ts';
import { INDEX_FILE, MANIFEST_FILE, readCachedIndex, saveIndex, VECTORS_FILE, type ReadIndex, type SourceFile, type SourceManifest } from './index-cache.ts';
import type { SourceListing } from './source-files.ts';
import { PassageGrams } from './passage-grams.ts';
import type { CharReadings } from './sound.ts';
import { indexedText, Retriever, type RetrievalSettings } from './retriever.ts';
import { TermEncoder } from './tokenize.ts';
import { extendVectorIndex, type VectorIndex } from './vector-index.ts';

/** Passages folded into a local LSA space, as a share of those it was trained on, before it is trained again. */
export const FOLD_IN_LIMIT = 0.1;

export interface Added {
  /** files added this time, and their passages */
  files: number;
  passages: number;
  /** passages added since the vectors' space was last trained (all folded in) */
  foldedPassages: number;
}

interface Base {
  dir: string;
  manifest: SourceManifest;
  essays: Essay[];
  chunks: Chunk[];
  lexical: Bm25Index;
  grams: PassageGrams;
  corpus: CorpusText;
  readings?: CharReadings;
  embedder?: Embedder;
  embedderId: string;
  dimensions: number;
}

// The index each data directory last built or loaded in this process, so that adding a file to
// it does not read it back from disk; held weakly: once nobody uses that index, the disk it is.
const recent = new Map<string, { dir: string; manifest: SourceManifest; retriever: WeakRef<Retriever> }>();

/** Writes a built or extended index to the cache, and keeps it as the base later additions grow from. */
export function persistIndex(dataDir: string, dir: string, index: VectorIndex, retriever: Retriever, manifest: SourceManifest, warnings: string[], logger: Logger): void {
  const { lexical, grams, corpus } = retriever.parts();
  const { embedder } = retriever;
  const saved = saveIndex(
    dir,
    index,
    {
      embedderId: embedder.id,
      dimensions: retriever.dimensions(),
      warnings,
      essays: retriever.essays,
      chunks: retriever.chunks,
      bm25: lexical.segmentsData(),
      grams: grams.toData(),
      corpus: corpus.toData(),
      lsa: embedder instanceof LocalLsaEmbedder ? embedder.model.toData() : undefined,
      readings: retriever.parts().readings,
      manifest,
    },
    logger,
  );
  if (!saved) return;
  // the index this process used until now stays on disk beside the new one; older caches go
  const inUse = recent.get(dataDir)?.dir;
  remember(dataDir, dir, manifest, retriever);
  pruneIndexCaches(dataDir, [dir, inUse], logger);
}

export function remember(dataDir: string, dir: string, manifest: SourceManifest, retriever: Retriever): void {
  recent.set(dataDir, { dir, manifest, retriever: new WeakRef(retriever) });
}

export interface AddOptions {
  knowledgeDir: string;
  dataDir: string;
  chunking: ChunkingOptions;
  remoteEmbedder?: Embedder;
  settings: RetrievalSettings;
  logger: Logger;
  source: SourceListing;
  configKey: string;
  /** the cache folder the result goes to */
  dir: string;
  onDenseFailure: (error: unknown) => void;
}

/** Whether the files of `manifest` are all still there, unchanged: then the rest were added. */
function grewFrom(manifest: SourceManifest, source: SourceListing): boolean {
  const now = new Map(source.files.map((file) => [file.name, file.hash]));
  return manifest.files.every((file) => now.get(file.name) === file.hash) && manifest.files.length <= source.files.length;
}

/** The cached index the current files grew from, with the most files: the one in memory if it is still alive. */
function findBase(options: AddOptions): { dir: string; manifest: SourceManifest; retriever?: Retriever } | undefined {
  const live = recent.get(options.dataDir);
  const candidates: Array<{ dir: string; manifest: SourceManifest; retriever?: Retriever }> = [];
  if (live && existsSync(join(live.dir, INDEX_FILE))) candidates.push({ dir: live.dir, manifest: live.manifest, retriever: live.retriever.deref() });
  const root = join(options.dataDir, 'index');
  let names: string[] = [];
  try {
    names = readdirSync(root).filter((name) => !name.includes('.tmp-'));
  } catch {
    // no cache folder yet
  }
  for (const name of names) {
    const dir = join(root, name);
    if (dir === live?.dir || !existsSync(join(dir, INDEX_FILE))) continue;
    try {
      candidates.push({ dir, manifest: JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as SourceManifest });
    } catch {
      // an index from before manifests, or damaged: not one to add to
    }
  }
  const usable = candidates.filter((candidate) => candidate.manifest.configKey === options.configKey && grewFrom(candidate.manifest, options.source));
  usable.sort((a, b) => b.manifest.files.length - a.manifest.files.length || Number(b.retriever !== undefined) - Number(a.retriever !== undefined));
  return usable[0];
}

function loadBase(found: { dir: string; manifest: SourceManifest; retriever?: Retriever }, options: AddOptions): Base {
  if (found.retriever) {
    const { retriever } = found;
    return {
      dir: found.dir,
      manifest: found.manifest,
      essays: retriever.essays,
      chunks: retriever.chunks,
      ...retriever.parts(),
      embedder: retriever.embedder,
      embedderId: retriever.embedder.id,
      dimensions: retriever.dimensions(),
    };
  }
  const cached = readCachedIndex(join(found.dir, INDEX_FILE));
  const parts = searchParts(cached, options.settings);
  return {
    dir: found.dir,
    manifest: found.manifest,
    essays: cached.essays,
    chunks: cached.chunks,
    ...parts,
    corpus: parts.corpus ?? CorpusText.build(cached.essays),
    embedder: cachedEmbedder(cached, options.remoteEmbedder),
    embedderId: cached.embedderId,
    dimensions: cached.dimensions,
  };
}

/** The lexical index, the passages' bigrams and the normalised corpus (if the cache has it) of a cached index. */
export function searchParts(cached: ReadIndex, settings: RetrievalSettings): { lexical: Bm25Index; grams: PassageGrams; corpus?: CorpusText; readings?: CharReadings } {
  const texts = cached.chunks.map((chunk) => chunk.text);
  return {
    lexical: Bm25Index.fromData(cached.bm25, settings.bm25),
    grams: new PassageGrams(texts, cached.grams),
    corpus: cached.corpus ? CorpusText.fromData(cached.corpus) : undefined,
    readings: cached.readings,
  };
}

/** The embedder a cached index was made with: its LSA model, or else the remote one configured (checked by id by the caller). */
export function cachedEmbedder(cached: ReadIndex, remote: Embedder | undefined): Embedder | undefined {
  return cached.lsa ? LocalLsaEmbedder.fromData(cached.lsa) : remote;
}

/**
 * The index for the current files made from an earlier one they grew from, or undefined when
 * everything must be built (no such index, a file changed or removed, an id clash, too many
 * passages to fold into the LSA space); the reason is logged.
 */
export async function addToPrevious(options: AddOptions): Promise<{ retriever: Retriever; fromCache: false; warnings: string[]; incremental: Added } | undefined> {
  const { logger, source } = options;
  const skip = (reason: string): undefined => {
    logger.info('index.full_rebuild', { reason });
    return undefined;
  };
  const found = findBase(options);
  if (!found) return skip('no cached index the files grew from');
  let base: Base;
  try {
    base = loadBase(found, options);
  } catch (error) {
    logger.warn('index.base_unreadable', { dir: found.dir, error });
    return undefined;
  }
  if (!base.embedder || base.embedder.id !== base.embedderId) return skip('embedder changed');
  const known = new Set(base.manifest.files.map((file) => file.name));
  const addedFiles = source.entries.filter((entry) => !known.has(entry.name));

  // the new files, read as the loader reads them
  const { parseDocument } = await import('../knowledge/load.ts');
  const { ExtractionCache } = await import('../knowledge/extraction-cache.ts');
  const cache = new ExtractionCache(join(options.dataDir, 'extracted'));
  const usedIds = new Set(base.essays.map((essay) => essay.id));
  const outcomes = new Map<string, Pick<SourceFile, 'essayId' | 'warning'>>();
  const addedEssays: Essay[] = [];
  for (const entry of addedFiles) {
    try {
      const essay = await parseDocument(entry.name, readEssayBytes(entry), cache);
      // the loader renames a clashing id by file order: only a full build numbers them as it would
      if (usedIds.has(essay.id)) return skip(`id ${essay.id} of ${entry.name} is taken`);
      usedIds.add(essay.id);
      addedEssays.push(essay);
      outcomes.set(entry.name, { essayId: essay.id });
    } catch (error) {
      if (!(error instanceof EssayFileError)) throw error;
      outcomes.set(entry.name, { warning: error.message });
    }
  }
  const { chunkEssay } = await import('../knowledge/chunk.ts');
  const addedChunks: Chunk[] = [];
  for (const essay of addedEssays) addedChunks.push(...(await chunkEssay(essay, options.chunking)));
  const chunks = [...base.chunks, ...addedChunks];
  const folded = chunks.length - base.manifest.trainedPassages;
  const local = base.embedder instanceof LocalLsaEmbedder;
  if (local && folded > FOLD_IN_LIMIT * base.manifest.trainedPassages) {
    return skip(`${folded} passages added since the LSA space was trained on ${base.manifest.trainedPassages} (limit ${FOLD_IN_LIMIT * 100}%)`);
  }

  const encoder = new TermEncoder();
  const termIds = addedChunks.map((chunk) => encoder.encode(chunk.text));
  const vocabulary = encoder.table.terms;
  let vectors: number[][];
  if (base.embedder instanceof LocalLsaEmbedder) vectors = base.embedder.embedTerms(termIds.map((ids) => Array.from(ids, (id) => vocabulary[id])));
  else {
    try {
      vectors = addedChunks.length > 0 ? await base.embedder.embedDocuments(addedChunks.map((chunk) => chunk.text)) : [];
    } catch (error) {
      logger.warn('index.remote_embeddings_failed', { error });
      return undefined;
    }
  }
  let index: VectorIndex;
  try {
    index = extendVectorIndex(join(base.dir, VECTORS_FILE), base.dimensions, vectors);
  } catch (error) {
    // its folder removed meanwhile (by another process pruning old caches), or damaged
    logger.warn('index.base_unreadable', { dir: base.dir, error });
    return undefined;
  }
  const lexical = base.lexical.withDocuments(lexicalTermIds(addedChunks, termIds, encoder), vocabulary);
  const grams = base.grams.withPassages(
    chunks.map((chunk) => chunk.text),
    termIds,
    vocabulary,
  );
  const byId = new Map(base.essays.map((essay) => [essay.id, essay]));
  const corpus = base.corpus.withEssays(addedEssays, (id) => byId.get(id));
  // essays in the loader's order (by file), as a full build lists them
  const order = new Map(source.files.map((file, i) => [file.name, i]));
  const essays = [...base.essays, ...addedEssays].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  const retriever = new Retriever(essays, chunks, base.embedder, index, options.settings, options.onDenseFailure, { lexical, grams, corpus, readings: base.readings });

  const before = new Map(base.manifest.files.map((file) => [file.name, file]));
  const files: SourceFile[] = source.files.map((file) => ({ ...file, ...(before.get(file.name) ?? outcomes.get(file.name)), hash: file.hash, name: file.name }));
  const warnings = [...source.listingWarnings, ...files.flatMap((file) => (file.warning ? [file.warning] : []))];
  for (const entry of addedFiles) {
    const warning = outcomes.get(entry.name)?.warning;
    if (warning) logger.warn('knowledge.skipped', { warning });
  }
  const manifest: SourceManifest = { configKey: options.configKey, files, listingWarnings: source.listingWarnings, trainedPassages: base.manifest.trainedPassages };
  persistIndex(options.dataDir, options.dir, index, retriever, manifest, warnings, logger);
  return { retriever, fromCache: false, warnings, incremental: { files: addedFiles.length, passages: addedChunks.length, foldedPassages: folded } };
}

/**
 * The lexical index's terms of each passage (its section heading, then its text). Where the
 * heading is not part of the text its terms come first: a line break ends every word and bigram
 * run, so tokenising the two apart gives the same terms as tokenising them joined.
 */
export function lexicalTermIds(chunks: Chunk[], textTerms: Uint32Array[], encoder: TermEncoder): Uint32Array[] {
  const sectionTerms = new Map<string, Uint32Array>();
  return chunks.map((chunk, i) => {
    if (indexedText(chunk) === chunk.text) return textTerms[i];
    let heading = sectionTerms.get(chunk.section);
    if (!heading) sectionTerms.set(chunk.section, (heading = encoder.encode(chunk.section)));
    const joined = new Uint32Array(heading.length + textTerms[i].length);
    joined.set(heading);
    joined.set(textTerms[i], heading.length);
    return joined;
  });
}

/** Forgets the indexes held in memory, as a new process starts without them (tests). */
export function forgetRecentIndexes(): void {
  recent.clear();
}
