import { describe, expect, it } from 'vitest';
import { analyzeQuery } from '../../src/retrieval/query.ts';

describe('words about which or how many items are asked for', () => {
  it('leaves the count in 哪四个 and ordinals such as 第二条 out of the topic', () => {
    const terms = analyzeQuery('这“四最”到底指哪四个?第一条、第二条分别是什么?').groups.map((g) => g.term);
    expect(terms).not.toContain('四个');
    expect(terms).not.toContain('第一条');
    expect(terms).not.toContain('第二条');
  });
});
