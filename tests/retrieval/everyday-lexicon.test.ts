import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { EVERYDAY_WORDS } from '../../src/retrieval/everyday-lexicon.ts';
import { analyzeQuery } from '../../src/retrieval/query.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

/** The essays' bodies, front matter left out, normalised for matching. */
function essayBodies(): string {
  return readdirSync('knowledge')
    .filter((name) => name.endsWith('.md'))
    .map((name) => normalizeForMatch(readFileSync(join('knowledge', name), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '')))
    .join('\n');
}

describe('everyday lexicon', () => {
  it('maps each everyday word only to words the essays use', () => {
    const bodies = essayBodies();
    const absent = Object.entries(EVERYDAY_WORDS).flatMap(([key, values]) => values.filter((value) => !bodies.includes(normalizeForMatch(value))).map((value) => `${key}→${value}`));
    expect(absent).toEqual([]);
  });

  it('expands an everyday word, and a phrase the tokenizer splits, to the essays’ words', () => {
    const word = analyzeQuery('政府啥都揽在自己手里,到底有啥坏处').groups.find((group) => group.term === '坏处');
    expect(word?.alternatives).toEqual(expect.arrayContaining(['不足']));
    const phrase = analyzeQuery('年轻人接不上茬,有啥招').groups.find((group) => group.term === '接不上茬');
    expect(phrase?.alternatives).toEqual(expect.arrayContaining(['青黄不接']));
    expect(analyzeQuery('年轻人接不上茬,有啥招').weights.get('青黄不接')).toBeGreaterThan(0);
  });

  it('lets an everyday question be answered instead of refused', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('村里党员一水儿老头老太太,年轻人接不上茬,有啥招', { k: 5 });
    expect(result.coverage).not.toBe('none');
    expect(result.hits.slice(0, 3).some((hit) => hit.chunk.text.includes('青黄不接'))).toBe(true);
  });
});
