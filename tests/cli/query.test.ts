import { describe, expect, it } from 'vitest';
import { answerJson, answerText } from '../../src/cli/query.ts';
import type { Answer } from '../../src/answer/types.ts';

const refusal: Answer = {
  question: '红烧肉怎么做?',
  grounded: false,
  coverage: 'none',
  mode: 'extractive',
  answer: '抱歉,知识库里的文章没有涉及这个问题,我不想凭空编造。',
  citations: [],
  uncitedSentences: [],
  suggestions: ['北辰区的基层治理经验是什么?', '芦篙村征地拆迁时怎样尊重民意?'],
  ms: 1,
};

describe('answerText', () => {
  it('lists a refusal\'s suggested questions under one introduction, after the sentence', () => {
    const text = answerText(refusal);
    const lines = text.split('\n');
    expect(lines[0]).toBe(refusal.answer);
    expect(text.match(/可以问问这些/g)?.length).toBe(1);
    for (const q of refusal.suggestions) expect(lines).toContain(`  · ${q}`);
  });

  it('shows no suggestions under a cited answer', () => {
    const text = answerText({ ...refusal, grounded: true, coverage: 'covered', citations: [{ n: 1, chunkId: 'p01#01', essayId: 'p01', title: '标题', section: '', authors: [], quote: '原文。' } as Answer['citations'][number]] });
    expect(text).not.toContain('可以问问这些');
  });

  it('says first what a partly covered question\'s essays do and do not say, in text and JSON', () => {
    const gaps = '文章只部分涉及这个问题:谈到了“社区”,没有直接谈到“矫正”。以下是最接近的内容。';
    const partial: Answer = { ...refusal, grounded: true, coverage: 'partial', gaps, answer: '原文。[1]', citations: [{ n: 1, chunkId: 'p01#01', essayId: 'p01', title: '标题', section: '', authors: [], quote: '原文。' } as Answer['citations'][number]] };
    expect(answerText(partial).split('\n')[0]).toBe(`(${gaps})`);
    expect(answerJson(partial)).toMatchObject({ coverage: 'partial', gaps });
    expect(answerJson(refusal)).not.toHaveProperty('gaps');
  });
});
