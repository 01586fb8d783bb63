// A list the retrieved text starts often runs on past the passage that was found: "……也给我们提供了
// 一些有益启示。" ends one passage, and "一是……" "二是……" "三是……" open the paragraphs after it.
// The passages that follow a retrieved one in its essay are added to complete such a list; they
// are not searched and never quoted on their own.
import type { Chunk } from '../knowledge/types.ts';
import type { SearchHit } from '../retrieval/retriever.ts';
import { FIRST_ITEM } from './question-form.ts';

/** how far past the end of a retrieved passage (in characters of the essay) a list it starts is followed */
export const LIST_REACH = 1500;

// the first item of a list ("一是…", "首先,…", "(1)…") at the start of a sentence or line
const STARTS_LIST = new RegExp(`(?:^|[。！？!?；;:：\n])\\s*${FIRST_ITEM.source.replace(/^\^/, '')}`);

/** The hits, then the passages that carry on from the first `passages` of them (marked `continues`). */
export function withContinuations(hits: SearchHit[], passages: number, chunksOf: (essayId: string) => readonly Chunk[]): SearchHit[] {
  const main = hits.slice(0, passages);
  const taken = new Set(main.map((hit) => hit.chunk.id));
  const added: SearchHit[] = [];
  for (const hit of main) {
    // only a passage in which a list starts (or that ends right before its first item) can leave one unfinished
    if (!STARTS_LIST.test(hit.essay.text.slice(hit.chunk.start, hit.chunk.end + 40))) continue;
    const following = chunksOf(hit.chunk.essayId)
      .filter((chunk) => chunk.start > hit.chunk.start && chunk.start < hit.chunk.end + LIST_REACH)
      .sort((a, b) => a.start - b.start);
    for (const chunk of following) {
      if (taken.has(chunk.id)) continue;
      taken.add(chunk.id);
      added.push({ rank: hit.rank, chunk, essay: hit.essay, score: 0, continues: hit.chunk.id });
    }
  }
  return [...hits, ...added];
}
