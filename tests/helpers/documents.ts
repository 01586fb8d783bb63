// Real small PDF, Word and HTML files with Chinese text, made by the tests themselves: a PDF
// with a text layer (pdf-lib + a CJK font), a scanned one (only a picture), an encrypted one
// (an /Encrypt dictionary in the trailer), and .docx files (the docx package).
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument } from 'pdf-lib';

const FONT_PATH = 'node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf';
let fontBytes: Buffer | undefined;

export interface PdfLineSpec {
  text: string;
  /** font size, default 12 */
  size?: number;
  /** extra space before the line (a paragraph break), in points */
  gapBefore?: number;
}

export interface PdfSpec {
  pages: PdfLineSpec[][];
  title?: string;
  author?: string;
  created?: Date;
  /** a running header on every page */
  header?: string;
  /** page numbers in the footer: (n) => "- n -" */
  footer?: (page: number, pages: number) => string;
}

export async function makePdf(spec: PdfSpec): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  fontBytes ??= readFileSync(FONT_PATH);
  const font = await doc.embedFont(fontBytes, { subset: true });
  if (spec.title) doc.setTitle(spec.title);
  if (spec.author) doc.setAuthor(spec.author);
  if (spec.created) doc.setCreationDate(spec.created);
  spec.pages.forEach((lines, index) => {
    const page = doc.addPage([595, 842]);
    if (spec.header) page.drawText(spec.header, { x: 60, y: 800, size: 9, font });
    let y = 760;
    for (const line of lines) {
      const size = line.size ?? 12;
      // wrapped at the right margin as a word processor would: the loader must rejoin the lines
      const perLine = Math.floor(470 / size);
      for (let at = 0; at < line.text.length; at += perLine) {
        y -= (at === 0 ? (line.gapBefore ?? 0) : 0) + size * 1.5;
        page.drawText(line.text.slice(at, at + perLine), { x: 60, y, size, font });
      }
    }
    if (spec.footer) page.drawText(spec.footer(index + 1, spec.pages.length), { x: 280, y: 40, size: 9, font });
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A "scan": a page with only a picture on it, no text layer. */
export async function makeScannedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  // a 1×1 grey PNG stretched over the page, as a scanner would place the page image
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCB3UNq9AAAAABJRU5ErkJggg==', 'base64');
  const image = await doc.embedPng(png);
  page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A PDF whose trailer says it is encrypted with a user password (the standard security handler). */
export async function makeEncryptedPdf(): Promise<Buffer> {
  const plain = (await makePdf({ pages: [[{ text: '这份文件设置了打开密码，内容不应被读取。' }]] })).toString('latin1');
  const hex = (byte: string): string => `<${byte.repeat(32)}>`;
  const encrypt = `/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /O ${hex('4f')} /U ${hex('55')} /P -44 >> /ID [${hex('ab').slice(0, 34)}> ${hex('ab').slice(0, 34)}>]`;
  const withEncrypt = plain.replace(/trailer\s*<</, (match) => `${match}\n${encrypt}\n`);
  if (withEncrypt === plain) throw new Error('no trailer found in the generated PDF');
  return Buffer.from(withEncrypt, 'latin1');
}

export interface DocxSpec {
  title?: string;
  creator?: string;
  blocks: Array<{ heading?: 1 | 2 | 3; text: string }>;
}

export async function makeDocx(spec: DocxSpec): Promise<Buffer> {
  const headings = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const doc = new Document({
    title: spec.title,
    creator: spec.creator ?? '',
    sections: [{ children: spec.blocks.map((b) => new Paragraph({ text: b.text, heading: b.heading ? headings[b.heading] : undefined })) }],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}
