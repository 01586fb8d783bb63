import type { Chunk, Essay } from './types.ts';

export interface ChunkingOptions {
  chunkSize: number;
  chunkOverlap: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { chunkSize: 500, chunkOverlap: 80 };

function pad(ordinal: number): string {
  return String(ordinal).padStart(2, '0');
}

/** Ranges of the text that start at a heading, so no chunk ends with the next section's title. */
function sectionBlocks(essay: Essay): Array<{ start: number; end: number }> {
  const blocks: Array<{ start: number; end: number }> = [];
  let previousWasHeading = false;
  for (const p of essay.paragraphs) {
    const opensBlock = blocks.length === 0 || (p.heading && !previousWasHeading);
    if (opensBlock) blocks.push({ start: p.start, end: p.end });
    else blocks[blocks.length - 1].end = p.end;
    previousWasHeading = p.heading;
  }
  return blocks;
}

// A piece shorter than this (typically a lone heading before a long paragraph) joins the next one.
const MIN_CHUNK = 40;

export async function chunkEssay(essay: Essay, options: ChunkingOptions = DEFAULT_CHUNKING): Promise<Chunk[]> {
  // loaded on first use: the text splitter's library takes about a second to import, and a start
  // from the index cache never chunks anything
  const { ChineseSentenceSplitter } = await import('./sentence-splitter.ts');
  const splitter = new ChineseSentenceSplitter(options);
  const spans: Array<{ start: number; end: number }> = [];
  for (const block of sectionBlocks(essay)) {
    const blockText = essay.text.slice(block.start, block.end);
    const blockSpans: Array<{ start: number; end: number }> = [];
    let searchFrom = 0;
    for (const piece of await splitter.splitText(blockText)) {
      const local = blockText.indexOf(piece, searchFrom);
      if (local < 0) throw new Error(`chunk of ${essay.id} is not a slice of its text: ${piece.slice(0, 20)}`);
      searchFrom = local + 1;
      const previous = blockSpans[blockSpans.length - 1];
      if (previous && previous.end - previous.start < MIN_CHUNK && block.start + local <= previous.end + 1) {
        previous.end = Math.max(previous.end, block.start + local + piece.length);
      } else {
        blockSpans.push({ start: block.start + local, end: block.start + local + piece.length });
      }
    }
    spans.push(...blockSpans);
  }
  return spans.map(({ start, end }, ordinal) => ({
    id: `${essay.id}#${pad(ordinal)}`,
    essayId: essay.id,
    ordinal,
    section: sectionAt(essay, start),
    start,
    end,
    text: essay.text.slice(start, end),
  }));
}

/** The section of the first paragraph that starts at or covers `offset`. */
export function sectionAt(essay: Essay, offset: number): string {
  const paragraph = essay.paragraphs.find((p) => offset < p.end + 1) ?? essay.paragraphs[essay.paragraphs.length - 1];
  return paragraph?.section ?? '';
}

/** The whole paragraph(s) a chunk sits in, for "show the surrounding paragraph". */
/**
 * The paragraphs an excerpt sits in, with the paragraph before and after it (within its section,
 * up to `maxChars`), so "查看上下文段落" shows more than the excerpt itself.
 */
export function surroundingParagraph(
  essay: Essay,
  chunk: Pick<Chunk, 'start' | 'end'>,
  maxChars = 1600,
): { start: number; end: number; text: string } {
  const paragraphs = essay.paragraphs;
  const first = paragraphs.findIndex((p) => p.end > chunk.start && p.start < chunk.end);
  if (first < 0) return { start: chunk.start, end: chunk.end, text: essay.text.slice(chunk.start, chunk.end) };
  let last = first;
  while (last + 1 < paragraphs.length && paragraphs[last + 1].start < chunk.end) last += 1;
  let start = paragraphs[first].start;
  let end = paragraphs[last].end;
  const before = paragraphs[first - 1];
  if (before && !before.heading && end - before.start <= maxChars) start = before.start;
  const after = paragraphs[last + 1];
  if (after && !after.heading && after.end - start <= maxChars) end = after.end;
  return { start, end, text: essay.text.slice(start, end) };
}
