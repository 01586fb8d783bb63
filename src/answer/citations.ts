import type { SearchHit } from '../retrieval/retriever.ts';
import type { Citation } from './types.ts';
import { splitSentences } from './sentences.ts';

export function citationFor(hit: SearchHit, n: number): Citation {
  return {
    n,
    chunkId: hit.chunk.id,
    essayId: hit.essay.id,
    title: hit.essay.title,
    authors: hit.essay.authors,
    publication: hit.essay.publication,
    issue: hit.essay.issue,
    section: hit.chunk.section,
    quote: hit.chunk.text,
  };
}

// [1] [1,2] [1][2] 【1】 [1-2] as models write them
const MARKER = /[\[【]\s*(\d{1,2}(?:\s*[,，、\-–]\s*\d{1,2})*)\s*[\]】]/g;

function markerNumbers(inside: string): number[] {
  const out: number[] = [];
  for (const part of inside.split(/\s*[,，、]\s*/)) {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      for (let n = from; n <= to && n - from < 10; n += 1) out.push(n);
    } else if (/^\d+$/.test(part)) out.push(Number(part));
  }
  return out;
}

export interface ValidatedAnswer {
  text: string;
  citations: Citation[];
  /** sentences without any (valid) marker */
  uncitedSentences: string[];
}

/**
 * Checks a model's answer against the excerpts it was given (numbered 1..hits.length):
 * drops markers that point to no excerpt, renumbers the rest 1..k in order of first use,
 * and lists the sentences left without a citation.
 */
export function validateCitations(text: string, hits: SearchHit[]): ValidatedAnswer {
  const renumber = new Map<number, number>();
  const citations: Citation[] = [];
  const rewritten = text.replace(MARKER, (_match, inside: string) => {
    const valid = [...new Set(markerNumbers(inside))].filter((n) => n >= 1 && n <= hits.length);
    const mapped = valid.map((n) => {
      let m = renumber.get(n);
      if (m === undefined) {
        m = renumber.size + 1;
        renumber.set(n, m);
        citations.push(citationFor(hits[n - 1], m));
      }
      return m;
    });
    return [...new Set(mapped)].sort((a, b) => a - b).map((m) => `[${m}]`).join('');
  });
  const cleaned = rewritten.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  const uncitedSentences = splitSentences(cleaned)
    .map((s) => s.text)
    .filter((sentence) => {
      const body = sentence.replace(/\[\d+\]/g, '').trim();
      return !/\[\d+\]/.test(sentence) && /[\p{L}\p{N}]{6,}/u.test(body);
    });
  return { text: cleaned, citations, uncitedSentences };
}
