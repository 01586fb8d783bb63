// `cli ingest <files or folders…>`: which files the arguments name, and adding each one to the
// knowledge directory (checked as the index would read it) with the outcome for the summary.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ChunkingOptions } from '../knowledge/chunk.ts';
import { EssayFileError, formatBytes, formatOf, maxBytesOf } from '../knowledge/files.ts';
import { inspectDocument, reasonOf, safeDocumentName, storeDocument } from '../knowledge/store.ts';

export interface IngestRow {
  /** the path as given (or found in a folder) */
  source: string;
  outcome: 'added' | 'renamed' | 'unchanged' | 'skipped';
  /** the name in the knowledge directory */
  stored?: string;
  title?: string;
  passages: number;
  reason?: string;
}

/** Files named directly (any name: an unsupported one is reported), and the supported files in folders, depth first. */
export async function collectFiles(paths: string[]): Promise<{ files: string[]; missing: IngestRow[] }> {
  const files: string[] = [];
  const missing: IngestRow[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && formatOf(entry.name) !== undefined) files.push(path);
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) missing.push({ source: path, outcome: 'skipped', passages: 0, reason: '文件或文件夹不存在' });
    else if (info.isDirectory()) await walk(path);
    else files.push(path);
  }
  return { files, missing };
}

/** Checks one file and, when it can be indexed, copies it into `dir`. Never throws for a bad file. */
export async function ingestFile(path: string, dir: string, chunking: ChunkingOptions): Promise<IngestRow> {
  const source = path;
  const name = safeDocumentName(basename(path));
  const format = name ? formatOf(name) : undefined;
  if (!name || !format) return { source, outcome: 'skipped', passages: 0, reason: '格式不受支持（支持 .pdf .docx .html .htm .md .txt）' };
  try {
    // the size first, so a huge file is never read
    const info = await stat(path);
    if (info.size > maxBytesOf(format)) {
      return { source, outcome: 'skipped', passages: 0, reason: `太大（${formatBytes(info.size)}，上限 ${formatBytes(maxBytesOf(format))}）` };
    }
    const bytes = await readFile(path);
    const { essay, chunks } = await inspectDocument(name, bytes, chunking);
    const stored = await storeDocument(dir, name, bytes);
    return { source, outcome: stored.status, stored: stored.name, title: essay.title, passages: chunks.length };
  } catch (error) {
    if (error instanceof EssayFileError) return { source, outcome: 'skipped', passages: 0, reason: reasonOf(error, name) };
    const code = (error as NodeJS.ErrnoException).code;
    return { source, outcome: 'skipped', passages: 0, reason: code ? `无法读取（${code}）` : '无法读取' };
  }
}

export const OUTCOME_LABEL: Record<IngestRow['outcome'], string> = { added: '已添加', renamed: '已添加(改名)', unchanged: '已存在', skipped: '跳过' };

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let n = 0;
  for (const char of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return n;
}

function clipTo(text: string, max: number): string {
  if (width(text) <= max) return text;
  let out = '';
  for (const char of text) {
    if (width(out + char) > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

const pad = (text: string, columns: number): string => text + ' '.repeat(Math.max(0, columns - width(text)));

/** The summary table: one row per file, then the totals. */
export function summaryTable(rows: IngestRow[]): string {
  const header = ['文件', '结果', '标题', '段落', '原因'];
  const cells = rows.map((r) => [
    clipTo(r.stored && r.stored !== basename(r.source) ? `${basename(r.source)} → ${r.stored}` : basename(r.source), 40),
    OUTCOME_LABEL[r.outcome],
    clipTo(r.title ? `《${r.title}》` : '', 36),
    r.outcome === 'skipped' ? '' : String(r.passages),
    clipTo(r.reason ?? '', 60),
  ]);
  const columns = header.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]))));
  const line = (c: string[]): string => c.map((cell, i) => pad(cell, columns[i])).join('  ').trimEnd();
  const added = rows.filter((r) => r.outcome === 'added' || r.outcome === 'renamed');
  const skipped = rows.filter((r) => r.outcome === 'skipped');
  const unchanged = rows.length - added.length - skipped.length;
  const totals = `共 ${rows.length} 个文件:添加 ${added.length} 个(${added.reduce((n, r) => n + r.passages, 0)} 段),已存在 ${unchanged} 个,跳过 ${skipped.length} 个。`;
  return [line(header), columns.map((c) => '-'.repeat(c)).join('  '), ...cells.map(line), '', totals].join('\n');
}
