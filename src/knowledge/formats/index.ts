// One entry point per format; .md/.txt stay with the front-matter parser in load.ts.
import type { DocumentFormat } from '../files.ts';
import { extractDocx } from './docx.ts';
import { extractHtml } from './html.ts';
import { extractPdf } from './pdf.ts';
import type { ExtractedDocument } from './types.ts';

export { UnusableDocument, type DocumentMeta, type ExtractedDocument } from './types.ts';

/** Bumped when an extractor's output changes, so cached extractions are not reused. */
export const EXTRACTOR_VERSION = 1;

export function extractDocument(format: Exclude<DocumentFormat, 'text'>, bytes: Buffer): Promise<ExtractedDocument> {
  switch (format) {
    case 'pdf':
      return extractPdf(bytes);
    case 'docx':
      return extractDocx(bytes);
    case 'html':
      return Promise.resolve().then(() => extractHtml(bytes));
  }
}
