import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndex, type BuildOptions, type BuiltIndex } from '../../src/retrieval/build.ts';
import { LocalLsaEmbedder } from '../../src/retrieval/embedder.ts';
import { FOLD_IN_LIMIT, forgetRecentIndexes } from '../../src/retrieval/incremental.ts';
import type { Retriever } from '../../src/retrieval/retriever.ts';
import { tempDataDir } from '../helpers/knowledge.ts';

// sorts between p05.md and p06.md: the added essay is not the last file
const ADDED = 'p055.md';
const ADDED_TEXT = `---
id: extra1
title: 积分超市激发村民参与
authors: [测试作者]
---

## 一、积分超市的做法

某县在各村推行“积分超市”,村民参加环境整治、志愿服务、移风易俗等活动可以获得积分,凭积分到超市兑换生活用品。积分超市由村两委和驻村工作队共同管理,每月公示积分排名。

## 二、积分超市的成效

推行积分超市以后,村民参与村级事务的积极性明显提高,环境卫生评比合格率上升,邻里纠纷减少。
`;

/** A document of many passages: more than the LSA space may take folded in. */
function longDocument(sections: number): string {
  const parts = Array.from(
    { length: sections },
    (_, i) =>
      `## 第${i + 1}部分 网格员巡查第${i + 1}片区\n\n` +
      `第${i + 1}片区的网格员每天巡查辖区,登记流动人口、排查安全隐患、收集居民诉求,发现问题当场处理,处理不了的上报街道综治中心,由中心派单给职能部门限时办结。`.repeat(4),
  );
  return `---\nid: extra2\ntitle: 网格员巡查日志\n---\n\n${parts.join('\n\n')}\n`;
}

const QUERIES = ['积分超市是怎么运作的?', '北辰区的基层治理经验是什么?', '村民议事会开会没人来怎么办', '网格化管理怎样服务居民', '征地拆迁怎样尊重民意'];

/** Each query's BM25 scores by passage id (the lexical ranking, without the vector side). */
function lexicalScores(retriever: Retriever): Array<Record<string, number>> {
  const { lexical } = retriever.parts();
  return QUERIES.map((query) => {
    const scored = lexical.search(retriever.analyze(query).weights, 1000);
    return Object.fromEntries(scored.map(({ doc, score }) => [retriever.chunks[doc].id, score]));
  });
}

function setup(): { knowledgeDir: string; options: BuildOptions } {
  const knowledgeDir = join(tempDataDir('zhili-kb-'), 'kb');
  cpSync('knowledge', knowledgeDir, { recursive: true });
  return { knowledgeDir, options: { knowledgeDir, dataDir: tempDataDir(), chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 16 } };
}

describe('adding documents to a built index', () => {
  it('adds a file without a full build: retrievable, lexical scores as a full rebuild gives them, vectors folded into the old space', async () => {
    const { knowledgeDir, options } = setup();
    const before = await buildIndex(options);
    expect(before.incremental).toBeUndefined();
    writeFileSync(join(knowledgeDir, ADDED), ADDED_TEXT);
    const added = await buildIndex(options);
    const full = await buildIndex({ ...options, dataDir: tempDataDir(), fullRebuild: true });
    expect(added.fromCache).toBe(false);
    expect(added.incremental).toEqual({ files: 1, passages: expect.any(Number), foldedPassages: added.incremental?.passages });
    const newPassages = added.retriever.chunksOf('extra1');
    expect(newPassages.length).toBeGreaterThan(0);

    // the new essay is listed where a full build lists it, and answers its question
    expect(added.retriever.essays.map((e) => e.id)).toEqual(full.retriever.essays.map((e) => e.id));
    expect(added.retriever.chunks.map((c) => c.id).sort()).toEqual(full.retriever.chunks.map((c) => c.id).sort());
    const found = await added.retriever.search('村民凭积分到超市兑换生活用品');
    expect(found.covered).toBe(true);
    expect(found.hits[0].essay.id).toBe('extra1');
    // words the trained space never saw (积分, 超市) count on the lexical side only, for now
    expect((await added.retriever.search('积分超市是怎么运作的?')).hits.slice(0, 3).map((hit) => hit.essay.id)).toContain('extra1');

    // lexical side: every passage's score, document frequencies and the corpus checks as a full rebuild
    expect(lexicalScores(added.retriever)).toEqual(lexicalScores(full.retriever));
    for (const term of ['积分', '超市', '·积分', '网格', '村民']) expect(added.retriever.idf(term)).toBe(full.retriever.idf(term));
    expect(new Set(added.retriever.parts().lexical.terms())).toEqual(new Set(full.retriever.parts().lexical.terms()));
    for (const text of ['积分超市', '测试作者', '北辰区', '驻村工作队共同管理', '没有这句话']) expect(added.retriever.corpusHas(text)).toBe(full.retriever.corpusHas(text));

    // vector side: the model is the one trained before (not retrained), and it places the new passages
    const model = (added.retriever.embedder as LocalLsaEmbedder).model.toData();
    expect(model).toEqual((before.retriever.embedder as LocalLsaEmbedder).model.toData());
    expect(model.vocabulary).not.toContain('超市');
    const passage = newPassages[0];
    const dense = await added.retriever.search(passage.text, { ignoreFloor: true });
    expect(dense.hits.find((hit) => hit.chunk.id === passage.id)?.denseRank).toBe(1);
  });

  it('keeps the added passages across a restart and in a new process (from disk), and builds everything again past the fold-in limit', async () => {
    const { knowledgeDir, options } = setup();
    const before = await buildIndex(options);
    const trained = before.retriever.chunks.length;
    writeFileSync(join(knowledgeDir, ADDED), ADDED_TEXT);
    const added = await buildIndex(options);
    expect(added.incremental?.files).toBe(1);

    const restarted = await buildIndex(options);
    expect(restarted.fromCache).toBe(true);
    expect(restarted.retriever.chunks).toEqual(added.retriever.chunks);
    const ranking = async (built: BuiltIndex): Promise<unknown> =>
      Promise.all(QUERIES.map(async (q) => (await built.retriever.search(q, { ignoreFloor: true })).hits.map((h) => [h.chunk.id, h.score, h.bm25Rank, h.denseRank])));
    expect(await ranking(restarted)).toEqual(await ranking(added));

    // a second file, added by another process (`cli ingest`): the index is read from disk
    forgetRecentIndexes();
    const small = `---\nid: extra3\ntitle: 老旧小区加装电梯\n---\n\n老旧小区加装电梯由业主自愿申请,街道组织协商,费用按楼层分摊。\n`;
    writeFileSync(join(knowledgeDir, 'p00.md'), small);
    const second = await buildIndex(options);
    expect(second.incremental).toEqual({ files: 1, passages: 1, foldedPassages: added.incremental!.foldedPassages + 1 });
    expect((await second.retriever.search('老旧小区加装电梯费用怎么分摊?')).hits[0].essay.id).toBe('extra3');
    expect((await second.retriever.search('村民凭积分到超市兑换生活用品')).hits[0].essay.id).toBe('extra1');

    // past the limit: a full build, which trains the space on every passage again
    const sections = Math.ceil(FOLD_IN_LIMIT * trained) + 2;
    writeFileSync(join(knowledgeDir, 'p99.md'), longDocument(sections));
    const rebuilt = await buildIndex(options);
    expect(rebuilt.incremental).toBeUndefined();
    expect((rebuilt.retriever.embedder as LocalLsaEmbedder).model.vocabulary).toContain('超市');
    const full = await buildIndex({ ...options, dataDir: tempDataDir(), fullRebuild: true });
    expect(rebuilt.retriever.chunks).toEqual(full.retriever.chunks);
    expect(await ranking(rebuilt)).toEqual(await ranking(full));

    // the folded count starts again from the new training
    writeFileSync(join(knowledgeDir, ADDED.replace('55', '56')), ADDED_TEXT.replace('extra1', 'extra4'));
    expect((await buildIndex(options)).incremental?.foldedPassages).toBe(added.incremental?.passages);
  });

  it('builds everything again when a file was removed or changed', async () => {
    const { knowledgeDir, options } = setup();
    await buildIndex(options);
    rmSync(join(knowledgeDir, 'p03.md'));
    const removed = await buildIndex(options);
    expect(removed.incremental).toBeUndefined();
    expect(removed.retriever.essay('p03')).toBeUndefined();
    writeFileSync(join(knowledgeDir, 'p01.md'), `${ADDED_TEXT.replace('extra1', 'p01')}`);
    const changed = await buildIndex(options);
    expect(changed.incremental).toBeUndefined();
    expect(changed.retriever.essay('p01')?.title).toBe('积分超市激发村民参与');
  });
});
