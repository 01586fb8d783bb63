// The baseline every figure is reported against: what a developer gets from a stock library in
// ten lines. MiniSearch with its default BM25+ settings over character bigrams, the essays cut
// into 500-character chunks with 50 characters of overlap, the top chunk as the answer, no refusals.
import MiniSearch, { type AsPlainObject } from 'minisearch';
import type { Essay } from '../knowledge/types.ts';

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/giu;

/** Overlapping character bigrams of each CJK run; Latin words and numbers whole. */
export function bigramTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(CJK_RUN)) {
    const run = Array.from(match[0]);
    if (!/[\u3400-\u9fff\uf900-\ufaff]/u.test(run[0])) {
      out.push(match[0].toLowerCase());
      continue;
    }
    if (run.length === 1) out.push(run[0]);
    for (let i = 0; i + 1 < run.length; i += 1) out.push(run[i] + run[i + 1]);
  }
  return out;
}

export class BigramBaseline {
  private constructor(
    private readonly chunks: string[],
    private readonly index: MiniSearch<{ id: number; text: string }>,
  ) {}

  static async build(essays: Essay[]): Promise<BigramBaseline> {
    const { RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 500, chunkOverlap: 50 });
    const chunks: string[] = [];
    for (const essay of essays) chunks.push(...(await splitter.splitText(essay.text)));
    const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], tokenize: bigramTokens });
    index.addAll(chunks.map((text, id) => ({ id, text })));
    return new BigramBaseline(chunks, index);
  }

  /** The chunks and MiniSearch's own serialised index, what a cached baseline would keep on disk. */
  toJSON(): { chunks: string[]; index: AsPlainObject } {
    return { chunks: this.chunks, index: this.index.toJSON() };
  }

  static fromJSON(json: string): BigramBaseline {
    const { chunks, index } = JSON.parse(json) as { chunks: string[]; index: AsPlainObject };
    return new BigramBaseline(chunks, MiniSearch.loadJS(index, { fields: ['text'], tokenize: bigramTokens }));
  }

  search(query: string, k: number): string[] {
    return this.index
      .search(query)
      .slice(0, k)
      .map((hit) => this.chunks[hit.id as number]);
  }
}
