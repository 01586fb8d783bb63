export interface SentenceSpan {
  text: string;
  /** offsets relative to the text that was split */
  start: number;
  end: number;
}

// A sentence ends at 。！？；!? or a line break; closing quotes and citation markers such as
// "。[1]" stay with their sentence.
const SENTENCE = /[^。！？!?；;\n]+(?:[。！？!?；;]+["”’」』)）】]*(?:\s*\[\d+\])*|$|(?=\n))/g;

export function splitSentences(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const match of text.matchAll(SENTENCE)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '') continue;
    const start = (match.index ?? 0) + lead;
    out.push({ text: body, start, end: start + body.length });
  }
  return out;
}
