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

describe('words about how the answer is put', () => {
  it('leaves 界定 / 表述 / 用大白话 out of the topic', () => {
    const terms = (q: string): string[] => analyzeQuery(q).groups.map((g) => g.term);
    expect(terms('社会治理是怎么界定的?')).toEqual(expect.arrayContaining(['社会', '治理']));
    expect(terms('社会治理是怎么界定的?')).not.toContain('界定');
    expect(terms('几篇文章各自怎么表述的?')).not.toContain('表述');
    expect(terms('社会治理用大白话讲是什么意思')).not.toContain('大白话');
    // a word of the topic that only looks like one stays
    expect(terms('边界界定不清的问题怎么解决?')).toContain('界定');
  });
});

describe('names the essays would have to give', () => {
  it('does not read an everyday word jieba tags as a place (挺新鲜) as a name', () => {
    expect(analyzeQuery('“信息赶集”是个啥,听着挺新鲜').specifics).not.toContain('新鲜');
    expect(analyzeQuery('明天成都会下雨吗?').specifics).toContain('成都');
  });
});
