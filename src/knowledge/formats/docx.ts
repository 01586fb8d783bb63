// Word (.docx): mammoth's HTML (headings from the document's heading styles) as plain lines,
// and the title, author and date from the file's core properties.
import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import { domToText } from './html-text.ts';
import { isoDate, usableAuthors, usableTitle, UnusableDocument, type DocumentMeta, type ExtractedDocument } from './types.ts';
import { readZipEntry } from './zip.ts';

// an OLE compound file: a password-protected .docx, or an old binary .doc renamed
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b]);

function coreProperty(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(xml);
  return match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

export function docxMeta(bytes: Buffer): DocumentMeta {
  const core = readZipEntry(bytes, 'docProps/core.xml')?.toString('utf8');
  if (!core) return {};
  return {
    title: usableTitle(coreProperty(core, 'dc:title')),
    authors: usableAuthors(coreProperty(core, 'dc:creator')),
    date: isoDate(coreProperty(core, 'dcterms:created')),
  };
}

export async function extractDocx(bytes: Buffer): Promise<ExtractedDocument> {
  if (bytes.subarray(0, 8).equals(OLE_SIGNATURE)) throw new UnusableDocument('已加密（设有打开密码），或是旧版 .doc 格式（请另存为 .docx 再上传）');
  if (!bytes.subarray(0, 2).equals(ZIP_SIGNATURE)) throw new UnusableDocument('已损坏，或不是 Word（.docx）文件');
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch {
    throw new UnusableDocument('已损坏，或不是 Word（.docx）文件');
  }
  const body = domToText(parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body);
  if (body.trim() === '') throw new UnusableDocument('没有正文内容');
  return { body, meta: docxMeta(bytes) };
}
