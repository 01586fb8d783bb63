import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/answer/answerer.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

describe('answers offline', () => {
  it('a follow-up quotes sentences the answer before it did not', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const first = await answerer.answer('天津市怎样用网格化管理服务社区居民?');
    expect(first.coverage).not.toBe('none');
    const followUp = await answerer.answer('那具体怎么做?', { context: first.question, exclude: new Set(first.quoted) });
    const before = new Set(first.quoted);
    expect(followUp.quoted?.length ?? 0).toBeGreaterThan(0);
    for (const key of followUp.quoted ?? []) expect(before.has(key), key).toBe(false);
  });

  it('says there is nothing more once everything relevant was quoted', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const question = '天津市怎样用网格化管理服务社区居民?';
    const quoted = new Set<string>();
    let last = await answerer.answer(question);
    for (let round = 0; round < 12 && last.citations.length > 0; round += 1) {
      for (const key of last.quoted ?? []) quoted.add(key);
      last = await answerer.answer('还有呢?', { context: question, exclude: quoted });
    }
    expect(last.citations).toEqual([]);
    expect(last.answer).toContain('没有更多内容');
  });

  it('answers what a term means with the essays\' definition of it, even when that passage ranks below others using the term', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    for (const question of ['什么是社会治理?', '社会治理到底啥意思']) {
      const answer = await answerer.answer(question);
      expect(answer.answer.startsWith('社会治理,即在社会领域中'), question).toBe(true);
      expect(answer.citations[0].quote).toContain('社会治理,即');
    }
  });

  it('completes a list that runs on past the passages found, citing the passage each item is in', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const answer = await answerer.answer('我刚到街道工作,书记让我写学习北辰经验的体会。材料里总结了四条启示,第一条讲的是什么?');
    expect(answer.answer).toContain('一是必须牢牢抓住党建引领这个根本');
    expect(answer.answer.indexOf('一是必须')).toBeLessThan(answer.answer.indexOf('二是必须'));
    // every quoted sentence is in the excerpt its [n] opens
    for (const [, sentence, n] of answer.answer.matchAll(/([^\]]+?)\[(\d+)\]/g)) {
      expect(answer.citations[Number(n) - 1].quote).toContain(sentence.replace(/^[^:：]{1,12}[:：]/, ''));
    }
  });

  it('keeps a list to items counted one way: 二是 does not follow 一方面 and 另一方面', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const answer = await answerer.answer('为什么说党建引领是推进基层治理现代化的关键?');
    expect(answer.answer).toContain('另一方面');
    expect(answer.answer).not.toMatch(/另一方面[^\]]*\[\d+\]二是/);
  });

  it('asks for Chinese when offline and shows the closest passages for an English question', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('How does grid management serve community residents?');
    expect(answer.notice).toContain('请用中文提问');
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.coverage).toBe('partial');
  });

  it('names the figure or name the essays do not give, and quotes nothing', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('上海的一网统管是怎么做的?');
    expect(answer.coverage).toBe('none');
    expect(answer.citations).toEqual([]);
    expect(answer.answer).toContain('上海');
    // the examples are offered apart from the sentence (buttons in the chat, a list in the CLI)
    expect(answer.suggestions.length).toBeGreaterThan(0);
    expect(answer.answer).not.toContain(answer.suggestions[0]);
  });

  it('says what a partly covered question is missing', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const partial = [];
    for (const q of ['少数民族地区的双语干部培养怎么搞?', '村干部的待遇和养老保险问题文章怎么说?']) {
      const answer = await answerer.answer(q);
      if (answer.coverage === 'partial') partial.push(answer);
    }
    expect(partial.length).toBeGreaterThan(0);
    for (const answer of partial) {
      expect(answer.gaps).toMatch(/文章只部分涉及/);
      expect(answer.citations.length).toBeGreaterThan(0);
    }
  });
});
