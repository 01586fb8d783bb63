import { describe, expect, it } from 'vitest';
import { characterWeights, singleCharacterWords } from '../../src/answer/single-characters.ts';
import { sharedIndex } from '../helpers/knowledge.ts';
import { selectSentences, DEFAULT_EXTRACTIVE } from '../../src/answer/extractive.ts';

describe('one-character words of a question', () => {
  it('keeps nouns and verbs no longer term holds, not generic ones', () => {
    expect(singleCharacterWords('在天津当社工,得拿到啥证才行?', ['天津', '社工', '拿到'])).toEqual(['证']);
    expect(singleCharacterWords('政府啥事都自己揽着干', ['政府'])).toEqual(['揽']);
    // 干 and 搞 say nothing about the topic; a character inside a kept word is already matched
    expect(singleCharacterWords('这事咋搞', [])).toEqual([]);
    expect(singleCharacterWords('要办证书吗', ['证书'])).toEqual([]);
  });

  it('weighs a character by how few sentences hold it', () => {
    const weights = characterWeights(['证', '村'], ['取得证书。', '村里开会。', '村民议事。', '村务公开。']);
    expect(weights.get('证')).toBeGreaterThan(weights.get('村')!);
    expect(characterWeights(['揽'], ['村里开会。']).get('揽')).toBe(0);
  });

  it('finds the sentence that gives the certificate for "得拿到啥证"', async () => {
    const { retriever } = await sharedIndex();
    const question = '在天津当社工,得拿到啥证才行?';
    const result = await retriever.search(question, { k: 5 });
    const chosen = selectSentences(question, result.hits, (term) => retriever.idf(term), DEFAULT_EXTRACTIVE);
    expect(chosen[0].text).toContain('职业水平证书');
  });
});
