import { describe, expect, it } from 'vitest';
import { validateCitations } from '../../src/answer/citations.ts';
import { splitSentences } from '../../src/answer/sentences.ts';
import type { SearchHit } from '../../src/retrieval/retriever.ts';

function hit(n: number): SearchHit {
  return {
    rank: n,
    score: 1 / n,
    chunk: { id: `p0${n}#00`, essayId: `p0${n}`, ordinal: 0, section: '', start: 0, end: 4, text: `摘录${n}。` },
    essay: { id: `p0${n}`, title: `文章${n}`, authors: [], keywords: [], file: `p0${n}.md`, text: `摘录${n}。`, paragraphs: [] },
  };
}

describe('citation validation for model answers', () => {
  const hits = [hit(1), hit(2), hit(3)];

  it('drops markers that point to no excerpt and renumbers the rest 1..k in order of use', () => {
    const result = validateCitations('第一点来自第三段[3]。第二点来自第一段[1][7]。第三点[3]。', hits);
    expect(result.text).toBe('第一点来自第三段[1]。第二点来自第一段[2]。第三点[1]。');
    expect(result.citations.map((c) => c.chunkId)).toEqual(['p03#00', 'p01#00']);
    expect(result.citations.map((c) => c.n)).toEqual([1, 2]);
  });

  it('understands 【n】, [1,2] and [1-2] forms', () => {
    const result = validateCitations('甲【2】。乙[1,3]。丙[1-2]。', hits);
    expect(result.text).toBe('甲[1]。乙[2][3]。丙[1][2]。');
  });

  it('flags sentences that carry no citation', () => {
    const result = validateCitations('有出处的一句话[1]。这一句完全没有出处。', hits);
    expect(result.uncitedSentences).toEqual(['这一句完全没有出处。']);
  });

  it('keeps a marker written after the full stop with its sentence', () => {
    expect(splitSentences('第一句。[1]第二句!').map((s) => s.text)).toEqual(['第一句。[1]', '第二句!']);
  });
});
