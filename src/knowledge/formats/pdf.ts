// PDF: the text layer (pdf.js, as bundled by unpdf), laid out by pdf-layout.ts, and the
// document information dictionary's Title, Author and CreationDate.
import { layoutPdfText, type PdfLine, type PdfPage } from './pdf-layout.ts';
import { isoDate, usableAuthors, usableTitle, UnusableDocument, type ExtractedDocument } from './types.ts';

interface TextItem {
  str: string;
  transform: number[];
  height: number;
  hasEOL: boolean;
}

/** Fewer letters than this in the whole text layer: a scan (pictures of pages). */
const MIN_TEXT_CHARS = 20;

/** Items on one baseline make a line; a new baseline, or an end-of-line mark, starts the next. */
export function linesOf(items: TextItem[]): PdfPage {
  const lines: PdfLine[] = [];
  let current: PdfLine | undefined;
  let endOfLine = true;
  for (const item of items) {
    const size = Math.abs(item.transform[3]) || item.height;
    const y = item.transform[5];
    if (item.str !== '') {
      const sameLine = current && !endOfLine && Math.abs(current.y - y) <= Math.max(current.size, size) * 0.5;
      if (sameLine && current) {
        current.text += item.str;
        current.size = Math.max(current.size, size);
      } else {
        current = { text: item.str, y, size };
        lines.push(current);
      }
    }
    endOfLine = item.hasEOL || (current !== undefined && item.str === '' && Math.abs(current.y - y) > 0.5);
  }
  return lines.map((line) => ({ ...line, text: line.text.replace(/\s+/g, ' ').trim() })).filter((line) => line.text !== '');
}

function pdfDate(raw: unknown): string | undefined {
  // "D:20240305120000+08'00'"
  const match = typeof raw === 'string' ? /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(raw) : null;
  if (!match) return undefined;
  return isoDate(`${match[1]}-${match[2] ?? '01'}-${match[3] ?? '01'}T12:00:00Z`);
}

function reasonFor(error: unknown, bytes: Buffer): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException' || bytes.includes('/Encrypt')) return '已加密（需要密码才能打开），无法读取文字';
  return '已损坏，或不是有效的 PDF 文件';
}

export async function extractPdf(bytes: Buffer): Promise<ExtractedDocument> {
  if (!bytes.subarray(0, 1024).includes('%PDF-')) throw new UnusableDocument('已损坏，或不是有效的 PDF 文件');
  // loaded on first use: installs with only .md/.txt files never pay for pdf.js
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // verbosity 0: pdf.js would otherwise print font warnings on stdout
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  } catch (error) {
    throw new UnusableDocument(reasonFor(error, bytes));
  }
  try {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      pages.push(linesOf(content.items.filter((item) => 'str' in item) as TextItem[]));
      page.cleanup();
    }
    const letters = pages.flat().reduce((n, line) => n + line.text.replace(/[\s\p{P}\p{S}\d]/gu, '').length, 0);
    if (letters < MIN_TEXT_CHARS) throw new UnusableDocument('没有文字层（可能是扫描件或图片），无法读取文字；请先用 OCR 转成带文字的 PDF');
    const { info } = (await pdf.getMetadata().catch(() => ({ info: {} }))) as { info: Record<string, unknown> };
    const text = (key: string): string | undefined => (typeof info[key] === 'string' ? (info[key] as string) : undefined);
    return {
      body: layoutPdfText(pages),
      meta: { title: usableTitle(text('Title')), authors: usableAuthors(text('Author')), date: pdfDate(info.CreationDate) },
    };
  } catch (error) {
    if (error instanceof UnusableDocument) throw error;
    throw new UnusableDocument(reasonFor(error, bytes));
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}
