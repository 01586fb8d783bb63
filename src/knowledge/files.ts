// Which entries of the knowledge directory are essays, and reading them without ever leaving it.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

/** Plain text (.md/.txt) above this is not an essay but a dump. */
export const MAX_ESSAY_BYTES = 2 * 1024 * 1024;
/** PDF, Word and web pages: as much as a Telegram bot may download. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export type DocumentFormat = 'text' | 'pdf' | 'docx' | 'html';
const FORMAT_OF_EXTENSION: Record<string, DocumentFormat> = {
  '.md': 'text',
  '.txt': 'text',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
};
export const SUPPORTED_EXTENSIONS = Object.keys(FORMAT_OF_EXTENSION);

/** The format a file name says it holds, or undefined for an unsupported extension. */
export function formatOf(name: string): DocumentFormat | undefined {
  return FORMAT_OF_EXTENSION[extname(name).toLowerCase()];
}

export function maxBytesOf(format: DocumentFormat): number {
  return format === 'text' ? MAX_ESSAY_BYTES : MAX_DOCUMENT_BYTES;
}

/** "1.5 MB" or "800 KB", for size warnings. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
// The final path component must not be a symlink (it was resolved already); a FIFO must not block the open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export class EssayFileError extends Error {}

export interface EssayFile {
  /** the entry's name in the knowledge directory, as warnings and citations show it */
  name: string;
  /** its real path, inside the knowledge directory's real path */
  path: string;
}

/**
 * The supported entries (.md .txt .pdf .docx .html .htm) directly in `dir` (subdirectories are not read) that are regular files, or
 * symlinks to a regular file inside `dir`. Every other such entry is left out with a warning naming it:
 * a symlink that leads outside `dir`, is dangling or loops, a directory, FIFO, socket or device, an
 * entry that cannot be examined (EACCES…), and a symlink to a file another entry already provides.
 */
export function listEssayFiles(dir: string): { files: EssayFile[]; warnings: string[] } {
  let root: string;
  let entries: Dirent[];
  try {
    root = realpathSync(dir);
    entries = readdirSync(root, { withFileTypes: true })
      .filter((entry) => formatOf(entry.name) !== undefined)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return { files: [], warnings: [`知识库目录 ${dir} 无法读取，请检查路径。`] };
  }
  const warnings: string[] = [];
  const found: Array<EssayFile & { viaLink: boolean }> = [];
  for (const entry of entries) {
    const { name } = entry;
    try {
      // the directory says a regular file is one (no lstat for each of 1,000s); links and the rest are examined
      found.push(entry.isFile() ? { name, path: join(root, name), viaLink: false } : resolveEntry(root, name));
    } catch (error) {
      warnings.push(entryWarning(error, name));
    }
  }
  // The same file under two names (a symlink beside its target) is one essay: the real entry wins.
  const owner = new Map<string, string>();
  for (const file of [...found.filter((f) => !f.viaLink), ...found.filter((f) => f.viaLink)]) {
    if (!owner.has(file.path)) owner.set(file.path, file.name);
  }
  const files: EssayFile[] = [];
  for (const { name, path } of found) {
    const first = owner.get(path);
    if (first === name) files.push({ name, path });
    else warnings.push(`知识库文件 ${name} 是指向 ${first} 的符号链接，同一篇文章不重复收录，已跳过。`);
  }
  return { files, warnings };
}

function resolveEntry(root: string, name: string): EssayFile & { viaLink: boolean } {
  const entry = join(root, name);
  const stats = lstatSync(entry);
  if (!stats.isSymbolicLink()) {
    if (!stats.isFile()) throw new EssayFileError(`知识库文件 ${name} 不是普通文件（是${kindOf(stats)}），已跳过。`);
    return { name, path: entry, viaLink: false };
  }
  let target: string;
  try {
    target = realpathSync(entry);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new EssayFileError(`知识库文件 ${name} 是失效的符号链接（指向的文件不存在），已跳过。`);
    if (code === 'ELOOP') throw new EssayFileError(`知识库文件 ${name} 是循环的符号链接，已跳过。`);
    throw error;
  }
  if (!isInside(root, target)) {
    throw new EssayFileError(`知识库文件 ${name} 是指向知识库目录之外的符号链接，为安全起见不读取，已跳过。`);
  }
  const targetStats = lstatSync(target);
  if (!targetStats.isFile()) throw new EssayFileError(`知识库文件 ${name} 是符号链接，指向的不是普通文件（是${kindOf(targetStats)}），已跳过。`);
  return { name, path: target, viaLink: true };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return '目录';
  if (stats.isFIFO()) return '命名管道';
  if (stats.isSocket()) return '套接字';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return '设备文件';
  if (stats.isSymbolicLink()) return '符号链接';
  return '特殊文件';
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' ? (error as NodeJS.ErrnoException).code : undefined;
}

/** The warning for an entry that failed: its own message, or the system error it ran into. */
function entryWarning(error: unknown, name: string): string {
  if (error instanceof EssayFileError) return error.message;
  const code = errorCode(error);
  if (code === undefined) throw error;
  if (code === 'EACCES' || code === 'EPERM') return `知识库文件 ${name} 没有读取权限，已跳过。`;
  return `知识库文件 ${name} 无法读取（${code}），已跳过。`;
}

/** The bytes of one essay file, size checked before reading; an unusable file throws an EssayFileError naming it. */
export function readEssayBytes(file: EssayFile): Buffer {
  try {
    return readRegularFile(file, maxBytesOf(formatOf(file.name) ?? 'text'));
  } catch (error) {
    throw new EssayFileError(entryWarning(error, file.name));
  }
}

/** The text of one .md/.txt file; an unusable file throws an EssayFileError naming it. */
export function readEssayText(file: EssayFile): string {
  return decodeEssayText(file.name, readEssayBytes(file));
}

export function decodeEssayText(name: string, bytes: Buffer): string {
  if (bytes.includes(0)) throw new EssayFileError(`知识库文件 ${name} 看起来是二进制文件，不是文本，已跳过。`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new EssayFileError(`知识库文件 ${name} 不是 UTF-8 编码的文本，已跳过。`);
  }
}

// Checks what was actually opened, so a file swapped for something else after listing is not read.
function readRegularFile({ name, path }: EssayFile, maxBytes: number): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new EssayFileError(`知识库文件 ${name} 不是普通文件（是${kindOf(stats)}），已跳过。`);
    if (stats.size === 0) throw new EssayFileError(`知识库文件 ${name} 是空文件，已跳过。`);
    // checked on the open file before a byte is read, so a huge file never enters memory
    if (stats.size > maxBytes) throw new EssayFileError(`知识库文件 ${name} 太大（${formatBytes(stats.size)}，上限 ${formatBytes(maxBytes)}），已跳过。`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
