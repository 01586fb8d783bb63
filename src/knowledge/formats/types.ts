/** What a document says about itself; every field optional (the file name fills the gaps). */
export interface DocumentMeta {
  title?: string;
  authors?: string[];
  /** e.g. "2024-03-05" */
  date?: string;
  /** a web page's site name */
  publication?: string;
}

/**
 * A document's text as plain lines, headings marked up as Markdown (`## 一、总体要求`) so the
 * same cleaner that reads .md/.txt files rejoins broken lines and keeps headings as sections.
 */
export interface ExtractedDocument {
  body: string;
  meta: DocumentMeta;
}

/** A document that cannot be indexed; `reason` completes "知识库文件 X …，已跳过。" */
export class UnusableDocument extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const PLACEHOLDER_AUTHORS = /^(administrator|admin|user|owner|author|unknown|microsoft office (user|用户)|windows (user|用户)|用户|作者|未知)$/i;
const PLACEHOLDER_TITLES = /^(untitled|无标题|文档\d*|document\d*|新建\s*microsoft\s*word\s*文档|title|标题)$/i;

/** A title as a person would write it: office-suite prefixes, extensions and placeholders dropped. */
export function usableTitle(raw: string | undefined | null): string | undefined {
  const title = (raw ?? '')
    .replace(/\s+/g, ' ')
    .replace(/^microsoft (word|powerpoint) - /i, '')
    .replace(/\.(docx?|pdf|wps|html?)$/i, '')
    .trim();
  return title === '' || PLACEHOLDER_TITLES.test(title) ? undefined : title;
}

/** Authors from a metadata field ("张三；李四"), without placeholders such as "Administrator". */
export function usableAuthors(raw: string | undefined | null): string[] | undefined {
  const authors = (raw ?? '')
    .split(/[,，;；、]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '' && !PLACEHOLDER_AUTHORS.test(a));
  return authors.length > 0 ? authors : undefined;
}

/** "2024-03-05" from a Date or an ISO-like string, when it is a real date. */
export function isoDate(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1980) return undefined;
  return date.toISOString().slice(0, 10);
}
