import type { SearchHit } from '../retrieval/retriever.ts';
import type { Citation } from './types.ts';
import { bigrams } from '../retrieval/tokenize.ts';
import { stripInjections } from './injection.ts';
import { isIntro, splitSentences } from './sentences.ts';

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
  /** the answer; a sentence left without a citation carries UNCITED_MARK */
  text: string;
  citations: Citation[];
  /** sentences without any (valid) marker, as they read without the mark */
  uncitedSentences: string[];
  /** sentences that need a citation (all but list intros and scraps of a few characters) */
  sentenceCount: number;
}

/** Shown after a model's sentence that cites nothing it was given. */
export const UNCITED_MARK = '(无出处)';

const CANONICAL = /\[(\d+)\]/g;
const TRAILING_END = /[。！？!?；;]+["”’」』)）】]*$/;

/** Content bigrams of an excerpt, without the sentences in it that try to instruct a model. */
function evidenceOf(hit: SearchHit): Set<string> {
  return new Set(bigrams(stripInjections(hit.chunk.text).text));
}

/** True when the sentence shares a content bigram (stop words never count) with the excerpt. */
function overlaps(sentence: string, evidence: Set<string>): boolean {
  return bigrams(sentence).some((gram) => evidence.has(gram));
}

/**
 * Checks a model's answer against the excerpts it was given (numbered 1..hits.length): a
 * marker counts only when it points to an excerpt and the sentence shares content words with
 * that excerpt; the markers kept are renumbered 1..k in order of first use. A sentence left
 * without a citation is marked UNCITED_MARK and listed.
 */
export function validateCitations(text: string, hits: SearchHit[]): ValidatedAnswer {
  // every marker form as [n][m], so that markers after a full stop stay with their sentence
  const canonical = text
    .replace(MARKER, (_match, inside: string) => [...new Set(markerNumbers(inside))].map((n) => `[${n}]`).join(''))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const evidence = new Map<number, Set<string>>();
  const supports = (n: number, sentence: string): boolean => {
    if (n < 1 || n > hits.length) return false;
    let grams = evidence.get(n);
    if (!grams) evidence.set(n, (grams = evidenceOf(hits[n - 1])));
    return overlaps(sentence, grams);
  };
  const renumber = new Map<number, number>();
  const citations: Citation[] = [];
  const uncitedSentences: string[] = [];
  let sentenceCount = 0;
  let out = '';
  let last = 0;
  for (const span of splitSentences(canonical)) {
    out += canonical.slice(last, span.start);
    last = span.end;
    const bare = span.text.replace(CANONICAL, '');
    const claimed = [...span.text.matchAll(CANONICAL)].map((m) => Number(m[1]));
    const valid = new Set(claimed.filter((n) => supports(n, bare)));
    const written = span.text
      .replace(CANONICAL, (_m, digits: string) => {
        const n = Number(digits);
        if (!valid.has(n)) return '';
        let m = renumber.get(n);
        if (m === undefined) {
          m = renumber.size + 1;
          renumber.set(n, m);
          citations.push(citationFor(hits[n - 1], m));
        }
        return `[${m}]`;
      })
      // a run of markers in order, each once: [2][1][2] → [1][2]
      .replace(/(?:\[\d+\])+/g, (run) => [...new Set([...run.matchAll(CANONICAL)].map((m) => Number(m[1])))].sort((a, b) => a - b).map((m) => `[${m}]`).join(''));
    const letters = bare.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    const needsCitation = letters > 0 && (claimed.length > 0 || (letters >= 4 && !isIntro(bare)));
    if (needsCitation) sentenceCount += 1;
    if (!needsCitation || valid.size > 0) {
      out += written;
      continue;
    }
    const sentence = written.trim();
    uncitedSentences.push(sentence);
    const end = TRAILING_END.exec(sentence);
    out += end ? `${sentence.slice(0, end.index)}${UNCITED_MARK}${end[0]}` : `${sentence}${UNCITED_MARK}`;
  }
  out += canonical.slice(last);
  return { text: out.trim(), citations, uncitedSentences, sentenceCount };
}
