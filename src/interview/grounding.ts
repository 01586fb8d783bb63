// Key points are tied to the essays by a verbatim phrase, not by chunk ids: the passage that
// holds the phrase is looked up in the current index, so re-chunking or a reload never breaks a citation.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Chunk } from '../knowledge/types.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { modelAnswerText } from './bank.ts';
import type { InterviewQuestion, KeyPoint, PointCitation } from './types.ts';

/** The passages that contain the point's evidence (in its essays, else anywhere), best first. */
export function passagesFor(point: KeyPoint, retriever: Retriever): Chunk[] {
  if (!point.evidence) return [];
  const needle = normalizeForMatch(point.evidence);
  if (needle.length === 0) return [];
  const pool = point.essays.length > 0 ? point.essays.flatMap((id) => retriever.chunksOf(id)) : retriever.chunks;
  const containing = pool.filter((chunk) => normalizeForMatch(chunk.text).includes(needle));
  if (containing.length > 0) return containing;
  // a phrase that straddles two passages: the one holding its first half
  const head = needle.slice(0, Math.max(4, Math.ceil(needle.length / 2)));
  return pool.filter((chunk) => normalizeForMatch(chunk.text).includes(head)).slice(0, 1);
}

/**
 * The point's passage. With `excerpt`, the quote is the stretch of it that says the point (the
 * sentence holding its evidence, and what follows up to about 150 characters), so a clipped
 * display shows the point and not the passage's opening; the passage stays one tap away by its id.
 */
export function citationFor(point: KeyPoint, retriever: Retriever | undefined, options: { excerpt?: boolean } = {}): PointCitation | undefined {
  if (!retriever) return undefined;
  const chunk = passagesFor(point, retriever)[0];
  const essay = chunk ? retriever.essay(chunk.essayId) : undefined;
  if (!chunk || !essay) return undefined;
  const quote = options.excerpt ? excerptAround(chunk.text, point.evidence) : chunk.text;
  return { chunkId: chunk.id, essayId: essay.id, title: essay.title, section: chunk.section, quote };
}

const SENTENCE_END = /[。！？!?\n]/;

/** Verbatim: from the start of the sentence that holds `evidence` to the end of a sentence, about `max` characters on. */
export function excerptAround(text: string, evidence: string | undefined, max = 150): string {
  if (!evidence) return text;
  let at = text.indexOf(evidence);
  // (a phrase that straddles two passages: its first half)
  if (at < 0) at = text.indexOf(evidence.slice(0, Math.max(4, Math.ceil(evidence.length / 2))));
  if (at < 0) return text;
  let start = at;
  while (start > 0 && !SENTENCE_END.test(text[start - 1])) start -= 1;
  let end = Math.min(text.length, at + evidence.length);
  // to the end of that sentence, then of the next ones while they fit
  while (end < text.length && !SENTENCE_END.test(text[end - 1])) end += 1;
  for (let next = end; next < text.length && next - start <= max; next += 1) {
    if (SENTENCE_END.test(text[next])) {
      if (next + 1 - start > max) break;
      end = next + 1;
    }
  }
  return text.slice(start, end).trim();
}

export interface ModelAnswerSource {
  /** the number shown in the text */
  n: number;
  citation: PointCitation;
}

/**
 * The model answer with its [n] markers (key point numbers) renumbered in reading order and
 * resolved to passages; a marker whose passage cannot be found is dropped, never shown dangling.
 */
export function modelAnswerWithSources(question: InterviewQuestion, retriever: Retriever | undefined): { text: string; sources: ModelAnswerSource[] } {
  const sources: ModelAnswerSource[] = [];
  const text = modelAnswerText(question).replace(/\s*\[(\d+(?:\s*[,,]\s*\d+)*)\]/g, (_marker, list: string) => {
    const numbers = list.split(/\s*[,,]\s*/).flatMap((item) => {
      const point = question.keyPoints[Number(item) - 1];
      const citation = point ? citationFor(point, retriever) : undefined;
      if (!citation) return [];
      let source = sources.find((s) => s.citation.chunkId === citation.chunkId);
      if (!source) {
        source = { n: sources.length + 1, citation };
        sources.push(source);
      }
      return [source.n];
    });
    const unique = [...new Set(numbers)];
    return unique.length === 0 ? '' : unique.map((n) => `[${n}]`).join('');
  });
  return { text, sources };
}
