import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { searchExcerpts } from '../../src/retrieval/excerpts.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

describe('excerpt search', () => {
  it('offers only passages that show the word searched for, the ones with the whole query first', async () => {
    const { retriever } = await sharedIndex();
    const hits = await searchExcerpts(retriever, '网格', 8);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(normalizeForMatch(hit.chunk.text)).toContain('网格');
    const council = await searchExcerpts(retriever, '村民议事会', 8);
    expect(normalizeForMatch(council[0].chunk.text)).toContain('村民议事会');
    expect(await searchExcerpts(retriever, '明天天气怎么样', 8)).toEqual([]);
  });
});
