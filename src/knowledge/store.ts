// Adding documents to the knowledge directory and taking them out again, for uploads from the
// chat and `cli ingest`: a safe file name, never outside the directory, never over another file.
import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { chunkEssay, type ChunkingOptions } from './chunk.ts';
import { EssayFileError, formatBytes, formatOf, maxBytesOf, SUPPORTED_EXTENSIONS } from './files.ts';
import { parseDocument } from './load.ts';
import type { Chunk, Essay } from './types.ts';

const MAX_STEM = 80;
// characters no file system or shell should see in a name someone else chose
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name that is safe to create in the knowledge directory: only the last path component,
 * no control or reserved characters, no leading dot, a supported extension (lower case).
 * Undefined when the extension is not supported.
 */
export function safeDocumentName(raw: string): string | undefined {
  const last = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // not extname(): for ".pdf" it sees a hidden file without extension
  const rawExtension = /\.[^.]+$/.exec(last)?.[0] ?? '';
  const extension = rawExtension.toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(extension)) return undefined;
  const stem = last
    .slice(0, last.length - rawExtension.length)
    .replace(UNSAFE, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return `${[...(stem || '文档')].slice(0, MAX_STEM).join('')}${extension}`;
}

export interface InspectedDocument {
  essay: Essay;
  chunks: Chunk[];
}

/** Parses and chunks a document as the index would; an unusable one throws EssayFileError. */
export async function inspectDocument(name: string, bytes: Buffer, chunking: ChunkingOptions): Promise<InspectedDocument> {
  const format = formatOf(name);
  if (format && bytes.length > maxBytesOf(format)) {
    throw new EssayFileError(`知识库文件 ${name} 太大（${formatBytes(bytes.length)}，上限 ${formatBytes(maxBytesOf(format))}），已跳过。`);
  }
  if (bytes.length === 0) throw new EssayFileError(`知识库文件 ${name} 是空文件，已跳过。`);
  const essay = await parseDocument(name, bytes);
  return { essay, chunks: await chunkEssay(essay, chunking) };
}

/** "太大（…）" from "知识库文件 X 太大（…），已跳过。": the reason alone, for tables and replies. */
export function reasonOf(error: EssayFileError, name: string): string {
  return error.message.replace(`知识库文件 ${name} `, '').replace(/[，,]?已跳过。$/, '');
}

export type StoreOutcome =
  /** stored under the name asked for */
  | { status: 'added'; name: string }
  /** another file had that name: stored beside it under a new one */
  | { status: 'renamed'; name: string; wanted: string }
  /** the directory already holds these very bytes (under `name`) */
  | { status: 'unchanged'; name: string };

async function sameBytesIn(dir: string, bytes: Buffer): Promise<string | undefined> {
  for (const entry of (await readdir(dir)).sort()) {
    if (formatOf(entry) === undefined) continue;
    const info = await stat(join(dir, entry)).catch(() => undefined);
    if (info?.isFile() && info.size === bytes.length && (await readFile(join(dir, entry))).equals(bytes)) return entry;
  }
  return undefined;
}

/** Writes `bytes` into `dir` as `name` (already safe), or beside an existing file as "name (2).pdf". */
export async function storeDocument(dir: string, name: string, bytes: Buffer): Promise<StoreOutcome> {
  const existing = await sameBytesIn(dir, bytes);
  if (existing) return { status: 'unchanged', name: existing };
  // a hidden temporary name with no supported extension: a reload meanwhile does not see it
  const tmp = join(dir, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`);
  await writeFile(tmp, bytes, { flag: 'wx' });
  try {
    const stem = basename(name, extname(name));
    for (let n = 1; n < 1000; n += 1) {
      const candidate = n === 1 ? name : `${stem} (${n})${extname(name)}`;
      try {
        // link() fails when the name exists: no check-then-write race, no overwrite
        await link(tmp, join(dir, candidate));
        return n === 1 ? { status: 'added', name: candidate } : { status: 'renamed', name: candidate, wanted: name };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`no free name for ${name}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Removes `name` from `dir` when it is a supported file directly in it; false when there is none. */
export async function removeDocument(dir: string, name: string): Promise<boolean> {
  if (name !== basename(name) || name.startsWith('.') || formatOf(name) === undefined) return false;
  try {
    const info = await stat(join(dir, name));
    if (!info.isFile()) return false;
    await unlink(join(dir, name));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
