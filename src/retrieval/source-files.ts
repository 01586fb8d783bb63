// What an index cache depends on, read without parsing anything: the knowledge files (each one's
// name and a hash of its bytes, with a stat cache so unchanged files are not read again) and the
// code that turns them into an index.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listEssayFiles, readEssayBytes, type EssayFile } from '../knowledge/files.ts';

/**
 * What the cache depends on, read without parsing anything: every knowledge file's name and
 * bytes (or why they cannot be read), hashed one by one so that a later build can tell which
 * files were added. Parsing 1,100 files takes longer than the whole cached start.
 */
export interface SourceListing {
  files: Array<{ name: string; hash: string }>;
  /** the same files, to read */
  entries: EssayFile[];
  listingWarnings: string[];
  fingerprint: string;
}

export function sourceFiles(knowledgeDir: string, dataDir?: string): SourceListing {
  const { files, warnings } = listEssayFiles(knowledgeDir);
  const known = dataDir ? readStatCache(dataDir) : new Map<string, StatEntry>();
  const seen = new Map<string, StatEntry>();
  const hashed = files.map((file) => {
    const stats = statOf(file.path);
    const before = known.get(file.path);
    if (stats && before && sameFile(stats, before)) {
      seen.set(file.path, before);
      return { name: file.name, hash: before.hash };
    }
    let hash: string;
    try {
      hash = createHash('sha256').update(readEssayBytes(file)).digest('hex');
      // only a file read whole is remembered, and only once it has been left alone for a while:
      // a write within the same tick of the clock could leave its times as they were
      if (stats && settled(stats)) seen.set(file.path, { ...stats, hash });
    } catch (error) {
      hash = `unreadable: ${error instanceof Error ? error.message : String(error)}`;
    }
    return { name: file.name, hash };
  });
  if (dataDir && (seen.size !== known.size || [...seen].some(([path, entry]) => known.get(path) !== entry))) writeStatCache(dataDir, seen);
  const fingerprint = createHash('sha256').update(JSON.stringify([warnings, hashed])).digest('hex');
  return { files: hashed, entries: files, listingWarnings: warnings, fingerprint };
}

// Each file's hash (by its real path) with what its status said when it was read: a file whose
// size, times and inode are all the same is not read again to be hashed (as git's index does). ctime cannot be
// set by hand, and changes with any write to the file.
interface StatEntry {
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
  hash: string;
}

const STAT_CACHE = 'files.json';

function statOf(path: string): Omit<StatEntry, 'hash'> | undefined {
  try {
    const stats = statSync(path, { bigint: true });
    return { size: Number(stats.size), mtimeNs: String(stats.mtimeNs), ctimeNs: String(stats.ctimeNs), ino: String(stats.ino), dev: String(stats.dev) };
  } catch {
    return undefined;
  }
}

/** Changed more than a second ago: any later write gives it a later ctime. */
const settled = (stats: Omit<StatEntry, 'hash'>): boolean => {
  const now = BigInt(Date.now()) * 1_000_000n;
  return now - BigInt(stats.ctimeNs) > 1_000_000_000n && now - BigInt(stats.mtimeNs) > 1_000_000_000n;
};

const sameFile = (a: Omit<StatEntry, 'hash'>, b: StatEntry): boolean =>
  a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;

function readStatCache(dataDir: string): Map<string, StatEntry> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(join(dataDir, 'index', STAT_CACHE), 'utf8')) as Record<string, StatEntry>));
  } catch {
    return new Map();
  }
}

function writeStatCache(dataDir: string, entries: Map<string, StatEntry>): void {
  try {
    const dir = join(dataDir, 'index');
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${STAT_CACHE}.tmp-${process.pid}`);
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(entries)));
    renameSync(tmp, join(dir, STAT_CACHE));
  } catch {
    // only a shortcut: without it every file is read again next time
  }
}

let codeHash: string | undefined;
/** where the indexing code's compiled files are, relative to this file, when it runs bundled */
declare const ZHILI_BUNDLED_RETRIEVAL_DIR: string | undefined;

/**
 * A hash of the code that turns files into the cached index (loading, cleaning, chunking,
 * tokenising, BM25, LSA): the cache is keyed by raw files, so a change in how they are read must
 * change the key too, without anyone having to remember to bump a number.
 */
export function indexingCodeVersion(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  // bundled (scripts/bundle.mjs), this code runs from dist/bundle/: it hashes tsc's dist/retrieval/
  const here =
    typeof ZHILI_BUNDLED_RETRIEVAL_DIR === 'string'
      ? join(dirname(fileURLToPath(import.meta.url)), ZHILI_BUNDLED_RETRIEVAL_DIR)
      : dirname(fileURLToPath(import.meta.url));
  // the sources themselves under tsx, their compiled .js when run from dist/
  const ext = extname(fileURLToPath(import.meta.url));
  const knowledge = join(here, '..', 'knowledge');
  const files = [
    ...['tokenize', 'bm25', 'lsa', 'sparse', 'build', 'incremental', 'index-cache', 'source-files', 'passage-grams', 'term-table', 'corpus-text'].map((name) => join(here, `${name}${ext}`)),
    ...listSources(knowledge, ext),
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

function listSources(dir: string, ext: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(ext))
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
      .sort();
  } catch {
    return [];
  }
}
