// From positioned text on PDF pages to plain lines: running headers and footers (lines repeated
// at the top or bottom of most pages) and bare page numbers dropped, larger type kept as
// headings, wide vertical gaps as paragraph breaks. Pure, so it is tested without a PDF.

import { joinBrokenLine, PARAGRAPH_END } from '../clean.ts';

export interface PdfLine {
  text: string;
  /** baseline height from the bottom of the page */
  y: number;
  /** font size */
  size: number;
}

export type PdfPage = PdfLine[];

// "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 10 页", "3/10", "Page 3 of 10"
const PAGE_NUMBER = /^[\s\-–—_－·•]*(第\s*[0-9０-９]{1,4}\s*页(\s*[，,]?\s*共\s*[0-9０-９]{1,4}\s*页)?|[0-9０-９]{1,4}(\s*[/／]\s*[0-9０-９]{1,4})?|page\s*\d{1,4}(\s*(of|\/)\s*\d{1,4})?)[\s\-–—_－·•]*$/i;
/** how many lines at each end of a page may be a running header or footer */
const EDGE_LINES = 2;
const MAX_HEADING = 40;

export function isPageNumber(line: string): boolean {
  return PAGE_NUMBER.test(line.trim());
}

/** A header seen on page 3 as "…第 3 页" is the same header as on page 4. */
function edgeKey(text: string): string {
  return text.replace(/[0-9０-９]+/g, '#').replace(/\s+/g, '');
}

/** Keys of lines that stand at the top or bottom of at least half the pages (two at least). */
export function runningLines(pages: PdfPage[]): Set<string> {
  const counts = new Map<string, number>();
  for (const page of pages) {
    const edges = new Set([...page.slice(0, EDGE_LINES), ...page.slice(-EDGE_LINES)].map((line) => edgeKey(line.text)));
    for (const key of edges) if (key !== '') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(pages.length / 2));
  return new Set([...counts].filter(([, n]) => n >= threshold).map(([key]) => key));
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function layoutPdfText(pages: PdfPage[]): string {
  const running = runningLines(pages);
  const kept = pages.map((page) =>
    page.filter((line, index) => {
      const atEdge = index < EDGE_LINES || index >= page.length - EDGE_LINES;
      return !(atEdge && (running.has(edgeKey(line.text)) || isPageNumber(line.text)));
    }),
  );
  const all = kept.flat();
  // the body's size is the one most characters are set in
  const weighted = all.flatMap((line) => Array<number>(Math.min(line.text.length, 200)).fill(Math.round(line.size * 10) / 10));
  const bodySize = median(weighted);
  const gaps = kept.flatMap((page) => page.slice(1).map((line, i) => page[i].y - line.y).filter((gap) => gap > 0));
  const lineStep = median(gaps);
  const headingSizes = [...new Set(all.filter((l) => l.size >= bodySize * 1.15 && l.text.length <= MAX_HEADING).map((l) => l.size))].sort((a, b) => b - a);

  // Lines are joined into paragraphs here, where the layout is known: a wrapped line that
  // happens to be short and unpunctuated must not be taken for a title by the cleaner.
  const out: string[] = [];
  let open: string | undefined;
  const close = (): void => {
    if (open !== undefined) out.push(open, '');
    open = undefined;
  };
  for (const page of kept) {
    page.forEach((line, index) => {
      const level = headingSizes.indexOf(line.size);
      if (level >= 0 && line.text.length <= MAX_HEADING) {
        close();
        out.push(`${'#'.repeat(Math.min(level + 1, 6))} ${line.text}`, '');
        return;
      }
      const gap = index > 0 ? page[index - 1].y - line.y : 0;
      if (lineStep > 0 && gap > lineStep * 1.6) close();
      // a paragraph running on from the previous page continues (index 0 never closes it)
      open = open === undefined ? line.text : joinBrokenLine(open, line.text);
      if (PARAGRAPH_END.test(line.text)) close();
    });
  }
  close();
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
