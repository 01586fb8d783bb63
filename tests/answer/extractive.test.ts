import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/answer/answerer.ts';
import { splitSentences } from '../../src/answer/sentences.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

describe('extractive answers', () => {
  it('answers in a few verbatim sentences, each followed by a citation that contains it', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const answer = await answerer.answer('北辰区的基层治理经验是什么?');
    expect(answer.grounded).toBe(true);
    expect(answer.mode).toBe('extractive');
    const sentences = splitSentences(answer.answer);
    expect(sentences.length).toBeGreaterThanOrEqual(1);
    expect(sentences.length).toBeLessThanOrEqual(4);
    for (const { text } of sentences) {
      const match = /^(.*?)((?:\[\d+\])+)$/.exec(text);
      expect(match, text).not.toBeNull();
      const [, body, markers] = match!;
      for (const n of markers.match(/\d+/g)!.map(Number)) {
        const citation = answer.citations.find((c) => c.n === n);
        expect(citation?.quote).toContain(body);
        // the quote is a verbatim slice of the essay
        const essay = retriever.essay(citation!.essayId)!;
        const chunk = retriever.chunk(citation!.chunkId)!;
        expect(essay.text.slice(chunk.start, chunk.end)).toBe(citation!.quote);
      }
    }
    expect(answer.citations.map((c) => c.n)).toEqual(answer.citations.map((_, i) => i + 1));
  });

  it('does not repeat itself (MMR) and never cites the same passage twice', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('佛山基层社会治理改革探索的是什么模式?');
    const sentences = splitSentences(answer.answer).map((s) => s.text.replace(/\[\d+\]/g, ''));
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(new Set(answer.citations.map((c) => c.chunkId)).size).toBe(answer.citations.length);
    expect(answer.citations.filter((c) => c.essayId === 'p08' || c.essayId === 'p11').length).toBeLessThanOrEqual(1);
  });

  it('refuses plainly when the essays do not cover the question, with suggestions and no sources', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('推荐一部最近好看的电影吧');
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.answer).toContain('没有涉及');
    expect(answer.suggestions.length).toBeGreaterThan(0);
  });

  it('suggests only questions the knowledge base really answers', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const refusal = await answerer.answer('红烧肉怎么做?');
    for (const suggestion of refusal.suggestions) {
      expect((await answerer.answer(suggestion)).grounded, suggestion).toBe(true);
    }
  });
});

describe('extractive follow-ups', () => {
  it('answers "那具体应该怎么做?" with several sentences about the previous topic', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('那具体应该怎么做?', { context: '村干部队伍年龄老化、青黄不接怎么办' });
    expect(answer.grounded).toBe(true);
    expect(splitSentences(answer.answer).length).toBeGreaterThanOrEqual(2);
    expect(answer.answer).toMatch(/后备干部|青年|党员/);
  });
});
