import { describe, expect, it } from 'vitest';
import { dictionaryTerms, reverseDictionary, senseKey, stemsOf } from '../../src/retrieval/english-dictionary.ts';

describe('the general English–Chinese dictionary, read backwards', () => {
  it('reads a sense as the English a user would type', () => {
    expect(senseKey('to weed out')).toBe('weed out');
    expect(senseKey('(fig.) to cull')).toBe('cull');
    expect(senseKey('to take part in sth')).toBe('take part in');
    expect(senseKey('variant of 淘汰[tao2 tai4]')).toBeUndefined();
    expect(senseKey('CL:個|个[ge4]')).toBeUndefined();
    expect(senseKey('surname Wang')).toBeUndefined();
    expect(senseKey('a long list of words that is no phrase at all')).toBeUndefined();
  });

  it('names the Chinese words for an English sense, only words the essays use', () => {
    const known = new Set(['淘汰', '资格', '参加']);
    const lookUp = reverseDictionary((word) => known.has(word));
    expect(lookUp).toBeDefined();
    expect(lookUp?.('weed out')).toContain('淘汰');
    expect(lookUp?.('qualification')).toContain('资格');
    // 消灭 also means "eliminate", but no essay uses it
    expect(lookUp?.('eliminate')).not.toContain('消灭');
    expect(reverseDictionary(() => false)?.('weed out')).toEqual([]);
  });

  it('looks up the question’s phrases before its words, never its question words', () => {
    const senses: Record<string, string[]> = { 'weed out': ['淘汰'], weed: ['杂草'], what: ['什么'], qualification: ['资格'] };
    const lookUp = (phrase: string): string[] => senses[phrase] ?? [];
    const terms = dictionaryTerms('What qualifications do they need, and how are the weak ones weeded out?', ['what', 'qualifications', 'weeded'], lookUp);
    expect(terms).toEqual(expect.arrayContaining(['资格', '淘汰']));
    expect(terms).not.toContain('杂草');
    expect(terms).not.toContain('什么');
    expect(stemsOf('weeded')).toContain('weed');
  });
});
