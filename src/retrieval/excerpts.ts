// Excerpt search ("@bot 网格" in any chat): passages to send as they are, so they must show the
// word searched for (the query's rarest). The hybrid ranking also finds passages by meaning alone; those are left out
// here, and passages that contain the whole query as written come first.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Retriever } from './retriever.ts';
import type { SearchHit } from './search-types.ts';
import { isBigramTerm } from './tokenize.ts';

/** passages looked at per excerpt offered: room for the ones that only match by meaning */
const POOL_FACTOR = 3;

export async function searchExcerpts(retriever: Retriever, query: string, limit: number): Promise<SearchHit[]> {
  const result = await retriever.search(query, { k: limit * POOL_FACTOR });
  const literal = normalizeForMatch(query);
  // the query's rarest word, as the user wrote it or as the essays say it: what the excerpt must show
  const groups = result.analyzed.groups.filter((g) => !isBigramTerm(g.term) && !g.findingOnly);
  const rarest = groups.sort((a, b) => retriever.idf(b.term) - retriever.idf(a.term))[0];
  const words = rarest ? rarest.alternatives.filter((t) => !isBigramTerm(t)).map(normalizeForMatch) : [];
  const text = (hit: SearchHit): string => normalizeForMatch(hit.chunk.text);
  const whole = result.hits.filter((hit) => literal !== '' && text(hit).includes(literal));
  const some = result.hits.filter((hit) => !whole.includes(hit) && words.some((w) => text(hit).includes(w)));
  return [...whole, ...some].slice(0, limit);
}
