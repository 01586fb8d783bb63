import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/retrieval/build.ts';
import { readCachedIndex } from '../../src/retrieval/index-cache.ts';
import { readingsOf, SoundIndex } from '../../src/retrieval/sound.ts';
import { tempDataDir } from '../helpers/knowledge.ts';

describe("the sound-alike table's readings in the index cache", () => {
  it('are pinyin-pro readings of every character of the terms, kept in the cache and in an index with a document added', async () => {
    const dataDir = tempDataDir();
    const knowledgeDir = join(tempDataDir('zhili-kb-'), 'kb');
    cpSync('knowledge', knowledgeDir, { recursive: true });
    const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 32 };
    const built = await buildIndex(options);
    const cached = readCachedIndex(join(dataDir, 'index', built.cacheKey, 'index.bin'));
    const terms = [...built.retriever.parts().lexical.terms()];
    expect(cached.readings).toEqual(readingsOf(terms));
    expect(cached.readings!.chars).toContain('网');
    expect(cached.readings!.readings[cached.readings!.chars.indexOf('网')]).toBe('wang');
    // a table made from the cached readings holds the same sound-alikes as one looked up afresh
    const df = (term: string): number => built.retriever.parts().lexical.documentFrequency(term);
    const fresh = new SoundIndex(terms, df);
    const fromCache = new SoundIndex(terms, df, cached.readings);
    for (const term of ['网各化', '·党见', '北晨区', '·治里']) expect(fromCache.alikes(term)).toEqual(fresh.alikes(term));
    expect(fromCache.fromPinyin('Beichen')).toEqual(fresh.fromPinyin('Beichen'));
    // an index with one more document (an essay again, under another id: no new characters) has them too
    const asMap = (readings = cached.readings!): Map<string, string> => new Map([...readings.chars].map((c, i) => [c, readings.readings[i]]));
    cpSync(join('knowledge', readdirSync('knowledge').sort()[0]), join(knowledgeDir, 'added.md'));
    const grown = await buildIndex(options);
    expect(grown.fromCache).toBe(false);
    expect(asMap(readCachedIndex(join(dataDir, 'index', grown.cacheKey, 'index.bin')).readings)).toEqual(asMap());
  });

  it('are what the table uses for the characters they hold', () => {
    const table = new SoundIndex(['网格'], () => 1, { chars: '网', readings: ['xx'] });
    expect(table.keyOf('网格')).toBe('xxge');
  });
});
