import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cleanText, type Paragraph } from './clean.ts';
import { ExtractionCache } from './extraction-cache.ts';
import { decodeEssayText, EssayFileError, formatOf, listEssayFiles, readEssayBytes } from './files.ts';
import { extractDocument, UnusableDocument, type ExtractedDocument } from './formats/index.ts';
import type { Essay, ParagraphSpan } from './types.ts';

export { EssayFileError, MAX_DOCUMENT_BYTES, MAX_ESSAY_BYTES, SUPPORTED_EXTENSIONS } from './files.ts';

export interface LoadedEssays {
  essays: Essay[];
  warnings: string[];
  /** each file read, in order, with the essay it gave or the warning it was skipped with */
  sources: Array<{ name: string; essayId?: string; warning?: string }>;
}

export interface LoadOptions {
  /** where extracted PDF/Word/HTML text is kept by content hash, so a restart does not re-parse */
  cacheDir?: string;
}

/**
 * Reads every supported file directly in `dir` (.md .txt .pdf .docx .html .htm), never anything
 * outside it (see listEssayFiles); a file that cannot be used is skipped with a warning naming it.
 */
export async function loadEssays(dir: string, options: LoadOptions = {}): Promise<LoadedEssays> {
  const essays: Essay[] = [];
  const { files, warnings } = listEssayFiles(dir);
  const usedIds = new Set<string>();
  const cache = options.cacheDir ? new ExtractionCache(options.cacheDir) : undefined;
  const sources: LoadedEssays['sources'] = [];
  for (const file of files) {
    const { name } = file;
    try {
      const essay = await parseDocument(name, readEssayBytes(file), cache);
      let warning: string | undefined;
      if (usedIds.has(essay.id)) {
        warning = `知识库文件 ${name} 的 id「${essay.id}」与其他文件重复，已改用文件名作为 id。`;
        warnings.push(warning);
        essay.id = uniqueId(idFromFileName(name), usedIds);
      }
      usedIds.add(essay.id);
      essays.push(essay);
      sources.push({ name, essayId: essay.id, warning });
    } catch (error) {
      if (!(error instanceof EssayFileError)) throw error;
      warnings.push(error.message);
      sources.push({ name, warning: error.message });
    }
  }
  return { essays, warnings, sources };
}

/**
 * Any supported file as an essay: .md/.txt with their front matter, PDF/Word/HTML through their
 * extractor. An unusable one throws an EssayFileError naming it and saying why.
 */
export async function parseDocument(name: string, bytes: Buffer, cache?: ExtractionCache): Promise<Essay> {
  const format = formatOf(name);
  if (format === undefined) throw new EssayFileError(`知识库文件 ${name} 的格式不受支持，已跳过。`);
  if (format === 'text') return parseEssayFile(name, decodeEssayText(name, bytes));
  let extracted: ExtractedDocument;
  try {
    extracted = cache ? await cache.get(format, bytes, () => extractDocument(format, bytes)) : await extractDocument(format, bytes);
  } catch (error) {
    if (error instanceof UnusableDocument) throw new EssayFileError(`知识库文件 ${name} ${error.reason}，已跳过。`);
    throw error;
  }
  return essayFromDocument(name, extracted);
}

/** An extracted document as an essay; what the document does not say comes from its file name. */
export function essayFromDocument(name: string, { body, meta }: ExtractedDocument): Essay {
  const { text, paragraphs } = cleanText(body);
  if (text.trim() === '') throw new EssayFileError(`知识库文件 ${name} 没有正文内容，已跳过。`);
  const stem = basename(name, extname(name));
  return {
    id: idFromDocumentName(name),
    title: meta.title ?? paragraphs.find((p) => p.heading)?.text ?? stem,
    authors: meta.authors ?? [],
    publication: meta.publication,
    // a policy document's date stands where a journal essay has its issue
    issue: meta.date,
    keywords: [],
    file: name,
    text,
    paragraphs: layoutParagraphs(paragraphs),
  };
}

interface FrontMatter {
  meta: Record<string, unknown>;
  body: string;
}

export function splitFrontMatter(source: string, name: string): FrontMatter {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(source);
  if (!match) {
    if (/^---[ \t]*\r?\n/.test(source)) throw new EssayFileError(`知识库文件 ${name} 的头信息（front matter）没有结束的 ---，已跳过。`);
    return { meta: {}, body: source };
  }
  let meta: unknown;
  try {
    meta = parseYaml(match[1]);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EssayFileError(`知识库文件 ${name} 的头信息（front matter）格式有误（${reason}），已跳过。`);
  }
  if (meta === null || meta === undefined) meta = {};
  if (typeof meta !== 'object' || Array.isArray(meta)) {
    throw new EssayFileError(`知识库文件 ${name} 的头信息（front matter）应为“键: 值”的形式，已跳过。`);
  }
  return { meta: meta as Record<string, unknown>, body: source.slice(match[0].length) };
}

function optionalString(meta: Record<string, unknown>, key: string, name: string): string | undefined {
  const value = meta[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
  throw new EssayFileError(`知识库文件 ${name} 的头信息字段 ${key} 应为文字，已跳过。`);
}

function stringList(meta: Record<string, unknown>, key: string, name: string): string[] {
  const value = meta[key];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/[,，;；、\s]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.map((item) => item.trim());
  throw new EssayFileError(`知识库文件 ${name} 的头信息字段 ${key} 应为文字列表，已跳过。`);
}

function idFromFileName(name: string): string {
  const stem = basename(name, extname(name)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return stem || 'essay';
}

/**
 * An uploaded document's name is usually Chinese ("2024年工作方案.pdf"): its Latin part alone would
 * collide, so a short hash of the whole name is added; the id stays short for button data.
 */
function idFromDocumentName(name: string): string {
  const slug = idFromFileName(name).slice(0, 16).replace(/-+$/, '');
  const plain = /^[\x20-\x7e]+$/.test(basename(name, extname(name))) && slug.length === idFromFileName(name).length;
  if (plain && slug !== 'essay') return slug;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 6);
  return slug === 'essay' || slug === '' ? `doc-${hash}` : `${slug}-${hash}`;
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

export function parseEssayFile(name: string, source: string): Essay {
  const { meta, body } = splitFrontMatter(source, name);
  const { text, paragraphs } = cleanText(body);
  if (text.trim() === '') throw new EssayFileError(`知识库文件 ${name} 没有正文内容，已跳过。`);
  const authors = stringList(meta, 'authors', name);
  const singleAuthor = optionalString(meta, 'author', name);
  if (singleAuthor && authors.length === 0) authors.push(...singleAuthor.split(/[,，、\s]+/).filter(Boolean));
  const rawId = optionalString(meta, 'id', name);
  const pian = meta.pian === undefined ? undefined : Number(meta.pian);
  const firstHeading = paragraphs.find((p) => p.heading)?.text;
  return {
    id: rawId ? rawId.replace(/[^A-Za-z0-9_-]+/g, '-') : idFromFileName(name),
    pian: pian !== undefined && Number.isFinite(pian) ? pian : undefined,
    title: optionalString(meta, 'title', name) ?? firstHeading ?? basename(name, extname(name)),
    authors,
    institution: optionalString(meta, 'institution', name),
    publication: optionalString(meta, 'publication', name) ?? optionalString(meta, 'source', name),
    issue: optionalString(meta, 'issue', name) ?? optionalString(meta, 'year', name),
    pages: optionalString(meta, 'pages', name),
    keywords: stringList(meta, 'keywords', name),
    note: optionalString(meta, 'note', name),
    file: name,
    text,
    paragraphs: layoutParagraphs(paragraphs),
  };
}

// Numbering that opens a section, with its depth (explicit Markdown headings use their own depth).
const SECTION_PATTERNS: Array<[RegExp, number]> = [
  [/^【[^】]{1,12}】/, 2],
  [/^[一二三四五六七八九十]+、/, 2],
  [/^[(（][一二三四五六七八九十]+[)）]/, 3],
  [/^\d{1,2}[.．、](?!\d)/, 4],
  [/^[(（]\d{1,2}[)）]/, 5],
];
const MAX_SECTION_LABEL = 40;

function sectionLevel(p: Paragraph): number | undefined {
  for (const [pattern, level] of SECTION_PATTERNS) if (pattern.test(p.text)) return level;
  if (!p.heading) return undefined;
  return p.level ?? 2;
}

function sectionLabel(p: Paragraph): string {
  const firstSentence = p.heading ? p.text : p.text.split(/[。！？!?]/)[0];
  return firstSentence.length > MAX_SECTION_LABEL ? `${firstSentence.slice(0, MAX_SECTION_LABEL)}…` : firstSentence;
}

/** Offsets of each paragraph in the joined text and the section path each falls under. */
function layoutParagraphs(paragraphs: Paragraph[]): ParagraphSpan[] {
  const stack: Array<{ level: number; label: string }> = [];
  const spans: ParagraphSpan[] = [];
  let offset = 0;
  for (const p of paragraphs) {
    const level = sectionLevel(p);
    if (level !== undefined) {
      while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
      stack.push({ level, label: sectionLabel(p) });
    }
    spans.push({
      start: offset,
      end: offset + p.text.length,
      heading: p.heading,
      section: stack.map((s) => s.label).join(' › '),
    });
    offset += p.text.length + 1;
  }
  return spans;
}
