// The index cache on disk: a JSON header (essays, passages as offsets into their essay) and the
// slow-to-recompute parts as raw typed arrays (BM25 postings, the LSA model), read back as views
// on one buffer without tokenising anything. The HNSW graph sits beside it in hnswlib's own file.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listEssayFiles, readEssayBytes } from '../knowledge/files.ts';
import type { Chunk, Essay } from '../knowledge/types.ts';
import type { Bm25Data } from './bm25.ts';
import type { LsaModelData } from './lsa.ts';
import type { PassageGramsData } from './passage-grams.ts';

const MAGIC = 'ZHIXBIN1';
// an index term never holds U+0000 (only letters, digits and CJK characters)
const SEPARATOR = '\u0000';

export interface CachedIndex {
  embedderId: string;
  dimensions: number;
  /** the loader's warnings for files it skipped, given again on every start from the cache */
  warnings: string[];
  essays: Essay[];
  chunks: Chunk[];
  bm25: Bm25Data;
  grams?: PassageGramsData;
  lsa?: LsaModelData;
}

type TypedArray = Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array;
const KINDS = { f64: Float64Array, f32: Float32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;

interface SectionEntry {
  name: string;
  kind: Kind;
  offset: number;
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
  sections: SectionEntry[];
}

function kindOf(array: TypedArray): Kind {
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Uint16Array) return 'u16';
  return 'u8';
}

const encodeStrings = (strings: string[]): Uint8Array => Buffer.from(strings.join(SEPARATOR), 'utf8');
const decodeStrings = (bytes: Uint8Array): string[] => {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text === '' ? [] : text.split(SEPARATOR);
};

export function writeCachedIndex(path: string, index: CachedIndex): void {
  const essayIndex = new Map(index.essays.map((essay, i) => [essay.id, i]));
  const chunks = index.chunks.map((chunk): StoredChunk => {
    const position = essayIndex.get(chunk.essayId) ?? -1;
    const row: StoredChunk = [chunk.id, position, chunk.ordinal, chunk.section, chunk.start, chunk.end];
    if (index.essays[position]?.text.slice(chunk.start, chunk.end) !== chunk.text) row.push(chunk.text);
    return row;
  });
  const arrays: Array<[string, TypedArray]> = [
    ['bm25.terms', encodeStrings(index.bm25.terms)],
    ['bm25.offsets', index.bm25.offsets],
    ['bm25.docs', index.bm25.docs],
    ['bm25.tfs', index.bm25.tfs],
    ['bm25.docLengths', index.bm25.docLengths],
  ];
  if (index.grams) {
    arrays.push(['grams.offsets', index.grams.offsets], ['grams.keys', index.grams.keys], ['grams.textHashes', index.grams.textHashes]);
  }
  if (index.lsa) {
    arrays.push(['lsa.vocabulary', encodeStrings(index.lsa.vocabulary)], ['lsa.idf', index.lsa.idf], ['lsa.projection', index.lsa.projection]);
  }
  let offset = 0;
  const sections = arrays.map(([name, array]): SectionEntry => {
    const entry = { name, kind: kindOf(array), offset, length: array.length };
    offset += Math.ceil(array.byteLength / 8) * 8; // every section starts 8-byte aligned
    return entry;
  });
  const header: Header = {
    embedderId: index.embedderId,
    dimensions: index.dimensions,
    warnings: index.warnings,
    essays: index.essays,
    chunks,
    lsaDimensions: index.lsa?.dimensions,
    sections,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = Math.ceil((16 + headerBytes.length) / 8) * 8;
  const file = Buffer.alloc(dataStart + offset);
  file.write(MAGIC, 0, 'latin1');
  file.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(file, 16);
  arrays.forEach(([, array], i) => {
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(file, dataStart + sections[i].offset);
  });
  writeFileSync(path, file);
}

export function readCachedIndex(path: string): CachedIndex {
  // the header and the arrays are read into separate buffers: the arrays stay in memory as views
  // on theirs, the header's bytes (mostly essay text, parsed into strings) can go
  const fd = openSync(path, 'r');
  let header: Header;
  let data: ArrayBuffer;
  try {
    const prefix = Buffer.alloc(16);
    readSync(fd, prefix, 0, 16, 0);
    if (prefix.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path}: not an index cache file`);
    const headerLength = prefix.readUInt32LE(8);
    const headerBytes = Buffer.alloc(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, 16) !== headerLength) throw new Error(`${path}: truncated`);
    header = JSON.parse(headerBytes.toString('utf8')) as Header;
    const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
    const size = Math.max(0, fstatSync(fd).size - dataStart);
    // an ArrayBuffer of its own (not the pool): offset 0, so every section is aligned
    data = new ArrayBuffer(size);
    if (size > 0 && readSync(fd, new Uint8Array(data), 0, size, dataStart) !== size) throw new Error(`${path}: truncated`);
  } finally {
    closeSync(fd);
  }
  const sections = new Map(
    header.sections.map((entry) => {
      const Type = KINDS[entry.kind];
      if (entry.offset + entry.length * Type.BYTES_PER_ELEMENT > data.byteLength) throw new Error(`${path}: truncated`);
      return [entry.name, new Type(data, entry.offset, entry.length)] as const;
    }),
  );
  const section = <K extends Kind>(name: string, kind: K): InstanceType<(typeof KINDS)[K]> => {
    const array = sections.get(name);
    if (!(array instanceof KINDS[kind])) throw new Error(`${path}: section ${name} missing`);
    return array as InstanceType<(typeof KINDS)[K]>;
  };
  const essays = header.essays;
  const chunks = header.chunks.map(([id, position, ordinal, sectionName, start, end, text]): Chunk => {
    const essay = essays[position];
    if (!essay) throw new Error(`${path}: passage ${id} has no essay`);
    return { id, essayId: essay.id, ordinal, section: sectionName, start, end, text: text ?? essay.text.slice(start, end) };
  });
  const bm25: Bm25Data = {
    terms: decodeStrings(section('bm25.terms', 'u8')),
    offsets: section('bm25.offsets', 'u32'),
    docs: section('bm25.docs', 'u32'),
    tfs: sections.get('bm25.tfs') instanceof Uint16Array ? section('bm25.tfs', 'u16') : section('bm25.tfs', 'u32'),
    docLengths: section('bm25.docLengths', 'f64'),
  };
  if (bm25.docLengths.length !== chunks.length || bm25.offsets.length !== bm25.terms.length + 1) throw new Error(`${path}: inconsistent postings`);
  const grams: PassageGramsData | undefined = sections.has('grams.keys')
    ? { offsets: section('grams.offsets', 'u32'), keys: section('grams.keys', 'u32'), textHashes: section('grams.textHashes', 'u32') }
    : undefined;
  if (grams && (grams.offsets.length !== chunks.length + 1 || grams.textHashes.length !== chunks.length)) throw new Error(`${path}: inconsistent bigrams`);
  const lsa: LsaModelData | undefined =
    header.lsaDimensions === undefined
      ? undefined
      : {
          vocabulary: decodeStrings(section('lsa.vocabulary', 'u8')),
          idf: section('lsa.idf', 'f64'),
          dimensions: header.lsaDimensions,
          projection: section('lsa.projection', 'f32'),
        };
  return { embedderId: header.embedderId, dimensions: header.dimensions, warnings: header.warnings, essays, chunks, bm25, grams, lsa };
}

/**
 * What the cache depends on, read without parsing anything: every knowledge file's name and
 * bytes (or why it cannot be read). Parsing 1,100 files takes longer than the whole cached start.
 */
export function sourceFingerprint(knowledgeDir: string): string {
  const hash = createHash('sha256');
  const { files, warnings } = listEssayFiles(knowledgeDir);
  hash.update(JSON.stringify(warnings));
  for (const file of files) {
    hash.update(`\u0000${file.name}\u0000`);
    try {
      hash.update(readEssayBytes(file));
    } catch (error) {
      hash.update(`unreadable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return hash.digest('hex');
}

let codeHash: string | undefined;

/**
 * A hash of the code that turns files into the cached index (loading, cleaning, chunking,
 * tokenising, BM25, LSA): the cache is keyed by raw files, so a change in how they are read must
 * change the key too, without anyone having to remember to bump a number.
 */
export function indexingCodeVersion(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  const here = dirname(fileURLToPath(import.meta.url));
  const knowledge = join(here, '..', 'knowledge');
  const files = [
    ...['tokenize.ts', 'bm25.ts', 'lsa.ts', 'build.ts', 'index-cache.ts', 'passage-grams.ts', 'term-table.ts'].map((name) => join(here, name)),
    ...listSources(knowledge),
  ];
  for (const file of files) {
    try {
      hash.update(relative(here, file)).update(readFileSync(file));
    } catch {
      hash.update(`${file}: missing`);
    }
  }
  codeHash = hash.digest('hex').slice(0, 16);
  return codeHash;
}

function listSources(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
      .sort();
  } catch {
    return [];
  }
}
