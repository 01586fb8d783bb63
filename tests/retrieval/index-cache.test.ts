import { cpSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { buildIndex } from '../../src/retrieval/build.ts';
import { Bm25Index } from '../../src/retrieval/bm25.ts';
import { readCachedIndex, writeCachedIndex } from '../../src/retrieval/index-cache.ts';
import { tempDataDir } from '../helpers/knowledge.ts';

const QUESTIONS = ['北辰区的基层治理经验是什么?', '村民议事会开会没人来怎么办', '網格化管理', 'Beichen grassroots governance', '明天北京天气怎么样'];

async function ranking(built: Awaited<ReturnType<typeof buildIndex>>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of QUESTIONS) {
    const result = await built.retriever.search(q, { k: 5, ignoreFloor: true });
    out.push([q, result.relevance, result.similarity, result.familiarity, result.hits.map((h) => [h.chunk.id, h.chunk.text, h.score, h.bm25Rank, h.denseRank])]);
  }
  return out;
}

describe('the binary index cache', () => {
  it('gives the same passages, texts and scores after a restart as right after the build', async () => {
    const dataDir = tempDataDir();
    const knowledgeDir = join(tempDataDir('zhili-kb-'), 'kb');
    cpSync('knowledge', knowledgeDir, { recursive: true });
    const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 32 };
    const built = await buildIndex(options);
    const loaded = await buildIndex(options);
    expect(built.fromCache).toBe(false);
    expect(loaded.fromCache).toBe(true);
    expect(loaded.retriever.chunks).toEqual(built.retriever.chunks);
    expect(loaded.retriever.essays.map((e) => [e.id, e.title, e.text])).toEqual(built.retriever.essays.map((e) => [e.id, e.title, e.text]));
    expect(await ranking(loaded)).toEqual(await ranking(built));
  });

  it('round-trips postings, model and passages whose text is not a slice of their essay', () => {
    const lexical = Bm25Index.fromDocuments([['网格', '·网格'], ['治理', '网格', '网格']]);
    const essay = { id: 'e1', title: '标题', authors: [], keywords: [], file: 'e1.md', text: '网格化治理', paragraphs: [] };
    const chunks = [
      { id: 'e1#00', essayId: 'e1', ordinal: 0, section: '', start: 0, end: 3, text: '网格化' },
      { id: 'e1#01', essayId: 'e1', ordinal: 1, section: '', start: 3, end: 5, text: '不同的文字' },
    ];
    const lsa = { vocabulary: ['网格', '治理'], idf: Float64Array.from([1.5, 2.25]), dimensions: 1, projection: Float32Array.from([0.5, -0.25]) };
    const path = join(tempDataDir(), 'index.bin');
    writeCachedIndex(path, { embedderId: 'local-lsa-1', dimensions: 1, warnings: ['跳过了 x.pdf'], essays: [essay], chunks, bm25: lexical.toData(), lsa });
    const read = readCachedIndex(path);
    expect(read.chunks).toEqual(chunks);
    expect(read.warnings).toEqual(['跳过了 x.pdf']);
    expect(read.lsa).toEqual(lsa);
    const again = Bm25Index.fromData(read.bm25);
    expect([...again.terms()]).toEqual([...lexical.terms()]);
    expect(again.search(['网格', '治理'])).toEqual(lexical.search(['网格', '治理']));
  });

  it('reads a file again when it changed, even with its size and modification time kept', async () => {
    const dataDir = tempDataDir();
    const knowledgeDir = join(tempDataDir('zhili-kb-'), 'kb');
    cpSync('knowledge', knowledgeDir, { recursive: true });
    // files changed within the last second are always read: the clock moves on instead of the test waiting
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2_000);
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 16 };
    await buildIndex(options);
    const remembered = JSON.parse(readFileSync(join(dataDir, 'index', 'files.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(remembered)).toHaveLength(11);
    expect((await buildIndex(options)).fromCache).toBe(true);
    const file = join(knowledgeDir, 'p01.md');
    const { atime, mtime } = statSync(file);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replaceAll('基层', '城市'));
    utimesSync(file, atime, mtime);
    expect(statSync(file).size).toBe(Buffer.byteLength(text));
    const rebuilt = await buildIndex(options);
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.retriever.essay('p01')?.text).not.toContain('基层');
  });

  it('rebuilds when the cache file is damaged', async () => {
    const dataDir = tempDataDir();
    const options = { knowledgeDir: 'knowledge', dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 16 };
    const built = await buildIndex(options);
    const dir = join(dataDir, 'index', built.cacheKey);
    expect(readdirSync(dir)).toContain('index.bin');
    writeFileSync(join(dir, 'index.bin'), 'ZHIXBIN1 not really');
    const rebuilt = await buildIndex(options);
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.retriever.chunks.length).toBe(built.retriever.chunks.length);
    expect((await buildIndex(options)).fromCache).toBe(true);
  });
});
