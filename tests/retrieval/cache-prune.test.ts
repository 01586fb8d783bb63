import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildIndex } from '../../src/retrieval/build.ts';
import { PRUNE_GRACE_MS } from '../../src/retrieval/cache-prune.ts';
import { forgetRecentIndexes } from '../../src/retrieval/incremental.ts';
import { tempDataDir } from '../helpers/knowledge.ts';

const caches = (dataDir: string): string[] =>
  readdirSync(join(dataDir, 'index'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

afterEach(() => {
  vi.useRealTimers();
});

describe('old index caches', () => {
  it('are removed once a new cache is written, but not the one in use nor one another process wrote just now', async () => {
    forgetRecentIndexes();
    const dataDir = tempDataDir();
    const knowledgeDir = join(tempDataDir('zhili-kb-'), 'kb');
    cpSync('knowledge', knowledgeDir, { recursive: true });
    const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 16 };
    const first = await buildIndex(options);
    rmSync(join(knowledgeDir, 'p11.md'));
    const second = await buildIndex(options);
    // the index in use while the second was built stays, and everything is recent
    expect(caches(dataDir)).toEqual([first.cacheKey, second.cacheKey].sort());

    // a while later: another process has just written a cache, and a write of its was abandoned long ago
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + PRUNE_GRACE_MS + 60_000);
    const fresh = join(dataDir, 'index', 'written-by-another-process');
    const abandoned = join(dataDir, 'index', `${first.cacheKey}.tmp-99999`);
    mkdirSync(fresh);
    mkdirSync(abandoned);
    utimesSync(fresh, new Date(), new Date());
    rmSync(join(knowledgeDir, 'p10.md'));
    const third = await buildIndex(options);
    expect(caches(dataDir)).toEqual([second.cacheKey, third.cacheKey, 'written-by-another-process'].sort());
    expect(existsSync(abandoned)).toBe(false);
    // the stat cache beside the folders is not a cache folder
    expect(existsSync(join(dataDir, 'index', 'files.json'))).toBe(true);
    // the index in memory was read whole: it still answers
    const result = await first.retriever.search('北辰区的基层治理经验是什么?', { k: 3 });
    expect(result.hits.length).toBeGreaterThan(0);
  });
});
