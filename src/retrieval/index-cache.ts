// The index cache on disk: a JSON header (essays, passages as offsets into their essay) and the
// slow-to-recompute parts as raw typed arrays (BM25 postings, the LSA model), read back as views
// on one buffer without tokenising anything. The HNSW graph sits beside it in hnswlib's own file.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk, Essay } from '../knowledge/types.ts';
import type { Bm25Data } from './bm25.ts';
import type { LsaModelData } from './lsa.ts';
import type { PassageGramsData } from './passage-grams.ts';
import type { CorpusTextData } from './corpus-text.ts';
import type { Logger } from '../log.ts';
import type { VectorIndex } from './vector-index.ts';
import type { CharReadings } from './sound.ts';

export const INDEX_FILE = 'index.bin';
export const VECTORS_FILE = 'vectors.hnsw';
export const MANIFEST_FILE = 'manifest.json';
const MAGIC = 'ZHIXBIN3';
// an index term never holds U+0000 (only letters, digits and CJK characters)
const SEPARATOR = '\u0000';

/** Each knowledge file as the index saw it: enough to tell, later, which files were added. */
export interface SourceFile {
  name: string;
  /** sha256 of its bytes (or why they could not be read) */
  hash: string;
  /** the essay it gave, or the warning it was skipped with (a renamed id gives both) */
  essayId?: string;
  warning?: string;
}

/** What an index was built from: the files, and the passages its vector space was made on. */
export interface SourceManifest {
  /** names the code and settings the index was built with: only an index with the same one is added to */
  configKey: string;
  files: SourceFile[];
  /** warnings about entries that are not files (directories, links…), listed before the files' */
  listingWarnings: string[];
  /** passages the vectors were computed for in the last full build (LSA trained on them); later ones are folded in */
  trainedPassages: number;
}

export interface CachedIndex {
  embedderId: string;
  dimensions: number;
  /** the loader's warnings for files it skipped, given again on every start from the cache */
  warnings: string[];
  essays: Essay[];
  chunks: Chunk[];
  /** one segment, or the built one and the documents added since */
  bm25: Bm25Data | Bm25Data[];
  grams?: PassageGramsData | PassageGramsData[];
  corpus?: CorpusTextData[];
  lsa?: LsaModelData;
  /** the sound-alike table's character readings (pinyin-pro's), so a start need not load pinyin-pro */
  readings?: CharReadings;
  manifest?: SourceManifest;
}

/** As read back: the segmented parts always as lists. */
export interface ReadIndex extends CachedIndex {
  bm25: Bm25Data[];
  grams?: PassageGramsData[];
}

type TypedArray = Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array;
const KINDS = { f64: Float64Array, f32: Float32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;
/** strings are read out of their bytes at once: those bytes need not stay in memory with the arrays */
type TextKind = 'strings' | 'utf16';

interface SectionEntry {
  name: string;
  kind: Kind | TextKind;
  offset: number;
  /** elements (arrays) or bytes (text) */
  length: number;
}

/** A passage by reference: its text is the slice of its essay, so it is not stored twice. */
type StoredChunk = [id: string, essay: number, ordinal: number, section: string, start: number, end: number, text?: string];

interface Header {
  embedderId: string;
  dimensions: number;
  warnings: string[];
  essays: Essay[];
  chunks: StoredChunk[];
  lsaDimensions?: number;
  bm25Segments: number;
  gramsSegments: number;
  corpusIds: string[][];
  manifest?: SourceManifest;
  sections: SectionEntry[];
  /** where the text sections start (after the arrays), from the data start */
  textStart: number;
}

function kindOf(array: TypedArray): Kind {
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Uint16Array) return 'u16';
  return 'u8';
}

const listOf = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function writeCachedIndex(path: string, index: CachedIndex): void {
  const essayIndex = new Map(index.essays.map((essay, i) => [essay.id, i]));
  const chunks = index.chunks.map((chunk): StoredChunk => {
    const position = essayIndex.get(chunk.essayId) ?? -1;
    const row: StoredChunk = [chunk.id, position, chunk.ordinal, chunk.section, chunk.start, chunk.end];
    if (index.essays[position]?.text.slice(chunk.start, chunk.end) !== chunk.text) row.push(chunk.text);
    return row;
  });
  const arrays: Array<[string, TypedArray]> = [];
  // strings lists as their UTF-8 bytes; a long text stays a string, written in pieces as UTF-16
  const texts: Array<[string, TextKind, Buffer | string]> = [];
  const bm25 = listOf(index.bm25);
  bm25.forEach((segment, i) => {
    texts.push([`bm25.${i}.terms`, 'strings', Buffer.from(segment.terms.join(SEPARATOR), 'utf8')]);
    arrays.push([`bm25.${i}.offsets`, segment.offsets], [`bm25.${i}.docs`, segment.docs], [`bm25.${i}.tfs`, segment.tfs], [`bm25.${i}.docLengths`, segment.docLengths]);
  });
  const grams = listOf(index.grams);
  grams.forEach((segment, i) => arrays.push([`grams.${i}.offsets`, segment.offsets], [`grams.${i}.keys`, segment.keys], [`grams.${i}.textHashes`, segment.textHashes]));
  const corpus = index.corpus ?? [];
  corpus.forEach((part, i) => {
    texts.push([`corpus.${i}.text`, 'utf16', part.text]);
    arrays.push([`corpus.${i}.starts`, part.starts], [`corpus.${i}.keys`, part.keys], [`corpus.${i}.offsets`, part.offsets], [`corpus.${i}.entries`, part.entries]);
  });
  if (index.lsa) {
    texts.push(['lsa.vocabulary', 'strings', Buffer.from(index.lsa.vocabulary.join(SEPARATOR), 'utf8')]);
    arrays.push(['lsa.idf', index.lsa.idf], ['lsa.projection', index.lsa.projection]);
  }
  if (index.readings) texts.push(['sound.chars', 'utf16', index.readings.chars], ['sound.readings', 'strings', Buffer.from(index.readings.readings.join(SEPARATOR), 'utf8')]);
  let offset = 0;
  const aligned = (bytes: number): number => Math.ceil(bytes / 8) * 8; // every section starts 8-byte aligned
  const sections: SectionEntry[] = arrays.map(([name, array]) => {
    const entry = { name, kind: kindOf(array), offset, length: array.length };
    offset += aligned(array.byteLength);
    return entry;
  });
  const textStart = offset;
  for (const [name, kind, value] of texts) {
    const length = typeof value === 'string' ? value.length * 2 : value.length;
    sections.push({ name, kind, offset, length });
    offset += aligned(length);
  }
  const header: Header = {
    embedderId: index.embedderId,
    dimensions: index.dimensions,
    warnings: index.warnings,
    essays: index.essays,
    chunks,
    lsaDimensions: index.lsa?.dimensions,
    bm25Segments: bm25.length,
    gramsSegments: grams.length,
    corpusIds: corpus.map((part) => part.ids),
    manifest: index.manifest,
    sections,
    textStart,
  };
  // written piece by piece: the header's JSON a few essays at a time, the arrays straight from
  // their memory, long texts in slices; never a copy of the whole file or of the whole header
  // (at 1000× the essays those copies were the build's peak of memory)
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    const write = (bytes: Uint8Array): void => {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      written += bytes.length;
    };
    const pad = (): void => write(Buffer.alloc(aligned(written) - written));
    write(Buffer.alloc(16)); // the prefix, with the header's length once it is known
    // UTF-16: mostly Chinese text, 2 bytes a character instead of 3, and read back without decoding
    for (const piece of headerJson(header)) write(Buffer.from(piece, 'utf16le'));
    const headerLength = written - 16;
    pad();
    for (const [, array] of arrays) {
      write(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      pad();
    }
    const piece = 1 << 20;
    for (const [, , value] of texts) {
      if (typeof value === 'string') for (let at = 0; at < value.length; at += piece) write(Buffer.from(value.slice(at, at + piece), 'utf16le'));
      else write(value);
      pad();
    }
    const prefix = Buffer.alloc(16);
    prefix.write(MAGIC, 0, 'latin1');
    prefix.writeUInt32LE(headerLength, 8);
    writeSync(fd, prefix, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
}

/** JSON.stringify(header) in pieces (the same object once parsed): the essays and passages a batch at a time. */
function* headerJson(header: Header): Generator<string> {
  const { essays, chunks, ...rest } = header;
  const fields = Object.entries(rest).filter(([, value]) => value !== undefined);
  yield `{${fields.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}${fields.length > 0 ? ',' : ''}"essays":[`;
  for (let i = 0; i < essays.length; i += 100) yield (i > 0 ? ',' : '') + essays.slice(i, i + 100).map((essay) => JSON.stringify(essay)).join(',');
  yield '],"chunks":[';
  for (let i = 0; i < chunks.length; i += 2000) yield (i > 0 ? ',' : '') + chunks.slice(i, i + 2000).map((chunk) => JSON.stringify(chunk)).join(',');
  yield ']}';
}

export function readCachedIndex(path: string): ReadIndex {
  // the header, the arrays and the texts are read into separate buffers: the arrays stay in
  // memory as views on theirs, the bytes of the header and the texts (parsed into strings) can go
  const fd = openSync(path, 'r');
  let header: Header;
  let data: ArrayBuffer;
  let textBytes: Buffer;
  try {
    const prefix = Buffer.alloc(16);
    readSync(fd, prefix, 0, 16, 0);
    if (prefix.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path}: not an index cache file`);
    const headerLength = prefix.readUInt32LE(8);
    // not zero-filled first (allocUnsafe): every byte is read from the file or the read fails
    const headerBytes = Buffer.allocUnsafe(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, 16) !== headerLength) throw new Error(`${path}: truncated`);
    header = JSON.parse(headerBytes.toString('utf16le')) as Header;
    const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
    const size = Math.max(0, fstatSync(fd).size - dataStart);
    const arraysSize = Math.min(size, header.textStart);
    // an ArrayBuffer of its own (not the pool): offset 0, so every section is aligned
    data = new ArrayBuffer(arraysSize);
    if (arraysSize > 0 && readSync(fd, new Uint8Array(data), 0, arraysSize, dataStart) !== arraysSize) throw new Error(`${path}: truncated`);
    textBytes = Buffer.allocUnsafe(size - arraysSize);
    if (textBytes.length > 0 && readSync(fd, textBytes, 0, textBytes.length, dataStart + arraysSize) !== textBytes.length) throw new Error(`${path}: truncated`);
  } finally {
    closeSync(fd);
  }
  const arrays = new Map<string, TypedArray>();
  const texts = new Map<string, Buffer>();
  for (const entry of header.sections) {
    if (entry.kind === 'strings' || entry.kind === 'utf16') {
      const from = entry.offset - header.textStart;
      if (from < 0 || from + entry.length > textBytes.length) throw new Error(`${path}: truncated`);
      texts.set(entry.name, textBytes.subarray(from, from + entry.length));
      continue;
    }
    const Type = KINDS[entry.kind];
    if (entry.offset + entry.length * Type.BYTES_PER_ELEMENT > data.byteLength) throw new Error(`${path}: truncated`);
    arrays.set(entry.name, new Type(data, entry.offset, entry.length));
  }
  const section = <K extends Kind>(name: string, kind: K): InstanceType<(typeof KINDS)[K]> => {
    const array = arrays.get(name);
    if (!(array instanceof KINDS[kind])) throw new Error(`${path}: section ${name} missing`);
    return array as InstanceType<(typeof KINDS)[K]>;
  };
  const text = (name: string): Buffer => {
    const bytes = texts.get(name);
    if (!bytes) throw new Error(`${path}: section ${name} missing`);
    return bytes;
  };
  const strings = (name: string): string[] => {
    const decoded = text(name).toString('utf8');
    return decoded === '' ? [] : decoded.split(SEPARATOR);
  };
  const essays = header.essays;
  const chunks = header.chunks.map(([id, position, ordinal, sectionName, start, end, chunkText]): Chunk => {
    const essay = essays[position];
    if (!essay) throw new Error(`${path}: passage ${id} has no essay`);
    return { id, essayId: essay.id, ordinal, section: sectionName, start, end, text: chunkText ?? essay.text.slice(start, end) };
  });
  const bm25 = Array.from({ length: header.bm25Segments }, (_, i): Bm25Data => {
    const tfs = arrays.get(`bm25.${i}.tfs`) instanceof Uint16Array ? section(`bm25.${i}.tfs`, 'u16') : section(`bm25.${i}.tfs`, 'u32');
    const segment = { terms: strings(`bm25.${i}.terms`), offsets: section(`bm25.${i}.offsets`, 'u32'), docs: section(`bm25.${i}.docs`, 'u32'), tfs, docLengths: section(`bm25.${i}.docLengths`, 'f64') };
    if (segment.offsets.length !== segment.terms.length + 1) throw new Error(`${path}: inconsistent postings`);
    return segment;
  });
  if (bm25.reduce((sum, segment) => sum + segment.docLengths.length, 0) !== chunks.length) throw new Error(`${path}: inconsistent postings`);
  const grams = Array.from({ length: header.gramsSegments }, (_, i): PassageGramsData => ({
    offsets: section(`grams.${i}.offsets`, 'u32'),
    keys: section(`grams.${i}.keys`, 'u32'),
    textHashes: section(`grams.${i}.textHashes`, 'u32'),
  }));
  if (grams.length > 0 && grams.reduce((sum, segment) => sum + segment.textHashes.length, 0) !== chunks.length) throw new Error(`${path}: inconsistent bigrams`);
  if (grams.some((segment) => segment.offsets.length !== segment.textHashes.length + 1)) throw new Error(`${path}: inconsistent bigrams`);
  const corpus = header.corpusIds.map((ids, i): CorpusTextData => ({
    ids,
    text: text(`corpus.${i}.text`).toString('utf16le'),
    starts: section(`corpus.${i}.starts`, 'u32'),
    keys: section(`corpus.${i}.keys`, 'u32'),
    offsets: section(`corpus.${i}.offsets`, 'u32'),
    entries: arrays.get(`corpus.${i}.entries`) instanceof Uint16Array ? section(`corpus.${i}.entries`, 'u16') : section(`corpus.${i}.entries`, 'u32'),
  }));
  if (corpus.some((part) => part.starts.length !== 2 * part.ids.length + 1 || part.starts[2 * part.ids.length] !== part.text.length)) throw new Error(`${path}: inconsistent corpus text`);
  const lsa: LsaModelData | undefined =
    header.lsaDimensions === undefined
      ? undefined
      : { vocabulary: strings('lsa.vocabulary'), idf: section('lsa.idf', 'f64'), dimensions: header.lsaDimensions, projection: section('lsa.projection', 'f32') };
  let readings: CharReadings | undefined;
  if (texts.has('sound.chars')) {
    readings = { chars: text('sound.chars').toString('utf16le'), readings: strings('sound.readings') };
    if (readings.chars.length !== readings.readings.length) throw new Error(`${path}: inconsistent readings`);
  }
  return {
    embedderId: header.embedderId,
    dimensions: header.dimensions,
    warnings: header.warnings,
    essays,
    chunks,
    bm25,
    grams: grams.length > 0 ? grams : undefined,
    corpus: corpus.length > 0 ? corpus : undefined,
    lsa,
    readings,
    manifest: header.manifest,
  };
}

/**
 * Writes an index's cache folder: to a temporary folder, then renamed, so a crash never leaves a
 * half-written cache. The manifest sits beside the index as well, small enough to read when
 * choosing an index to add files to.
 */
export function saveIndex(dir: string, vectors: VectorIndex, index: CachedIndex & { manifest: SourceManifest }, logger: Logger): boolean {
  try {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    vectors.writeIndexSync(join(tmp, VECTORS_FILE));
    writeCachedIndex(join(tmp, INDEX_FILE), index);
    writeFileSync(join(tmp, MANIFEST_FILE), JSON.stringify(index.manifest));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return true;
  } catch (error) {
    logger.warn('index.cache_write_failed', { error });
    return false;
  }
}
