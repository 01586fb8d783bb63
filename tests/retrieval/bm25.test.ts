import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/retrieval/bm25.ts';
import { indexTerms } from '../../src/retrieval/tokenize.ts';

const docs = [
  '社区网格化管理是城市基层党建工作的一个新探索。',
  '村民议事会在征地拆迁中发挥作用,尊重民意。',
  '加强农村基层党组织建设,发挥战斗堡垒作用。',
  '网格化管理的重点是解决群众生活中的实际问题,网格员走访入户。',
];

describe('BM25', () => {
  const index = Bm25Index.fromTexts(docs);

  it('ranks documents sharing rare query terms first', () => {
    const results = index.search(indexTerms('征地拆迁怎么尊重民意'));
    expect(results[0].doc).toBe(1);
  });

  it('rewards term frequency and returns only matching documents', () => {
    const results = index.search(indexTerms('网格化'));
    expect(results.map((r) => r.doc).sort()).toEqual([0, 3]);
    expect(results[0].doc).toBe(3);
  });

  it('gives unseen terms the largest idf and common terms a smaller one', () => {
    expect(index.idf('不存在的词')).toBeGreaterThan(index.idf('网格化'));
    expect(index.search(indexTerms('个人所得税'))).toEqual([]);
  });
});
