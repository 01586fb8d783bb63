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

describe('which sentences of a message ask', () => {
  it('weighs a last question left without a question mark as fully as the one marked', () => {
    const weightOf = (message: string, term: string): number | undefined => analyzeQuery(message).groups.find((g) => g.term === term)?.weight;
    expect(weightOf('“科技创新券”企业要怎么申领?一张面额是多少', '面额')).toBe(1);
    // a statement after the question is still background
    expect(weightOf('“科技创新券”企业要怎么申领?听说面额不小', '面额')).toBeLessThan(1);
  });
});
