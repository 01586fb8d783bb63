// One entry point per format; .md/.txt stay with the front-matter parser in load.ts.
// Each extractor is loaded on first use: pdf.js, mammoth and linkedom together cost about a
// second at start-up, which a knowledge base of Markdown files should not pay.
import type { DocumentFormat } from '../files.ts';
import type { ExtractedDocument } from './types.ts';

export { UnusableDocument, type DocumentMeta, type ExtractedDocument } from './types.ts';

/** Bumped when an extractor's output changes, so cached extractions are not reused. */
export const EXTRACTOR_VERSION = 1;

export async function extractDocument(format: Exclude<DocumentFormat, 'text'>, bytes: Buffer): Promise<ExtractedDocument> {
  switch (format) {
    case 'pdf':
      return (await import('./pdf.ts')).extractPdf(bytes);
    case 'docx':
      return (await import('./docx.ts')).extractDocx(bytes);
    case 'html':
      return (await import('./html.ts')).extractHtml(bytes);
  }
}
