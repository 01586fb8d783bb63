import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/answer/answerer.ts';
import { buildIndex } from '../../src/retrieval/build.ts';
import { LocalLsaEmbedder } from '../../src/retrieval/embedder.ts';
import { sharedIndex, tempDataDir } from '../helpers/knowledge.ts';

describe('hybrid retrieval', () => {
  it('finds the passage about a named case first', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('北辰区的基层治理经验是什么?', { k: 5 });
    expect(result.covered).toBe(true);
    expect(result.hits[0].essay.id).toBe('p02');
    expect(result.hits[0].chunk.text).toContain('北辰');
  });

  it('fuses the lexical and dense rankings', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('社区网格化管理', { k: 5 });
    expect(result.hits.some((hit) => hit.bm25Rank !== undefined && hit.denseRank !== undefined)).toBe(true);
    const scores = result.hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('does not let the asker\'s situation dilute the coverage of what is asked', async () => {
    const { retriever } = await sharedIndex();
    const bare = await retriever.search('天津社区工作者是怎么招聘的?', { k: 5 });
    const told = await retriever.search('你好,我在县里宣传部门工作,最近单位让我整理材料,时间很紧。天津社区工作者是怎么招聘的?', { k: 5 });
    expect(told.relevance).toBeGreaterThan(bare.relevance - 0.05);
    const rural = await retriever.search('老师好,我们村去年刚换届,村里年轻人大多外出打工,开会总凑不齐人。成都青白江的村子重大事项是怎么决策的?', { k: 5 });
    expect(rural.coverage).toBe('covered');
  });

  it('places a figure asked of 全区 or 镇里 where the essay names the place itself', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('村民自治课题要用数据:青白江全区有多少个行政村?', { k: 5 });
    expect(result.figureMissing).toBe(false);
    expect(result.coverage).not.toBe('none');
  });

  it('reads a word said with 儿 (活儿, 玩意儿) as talk, not as a topic the essays lack', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('北辰区的网格员平时都干些啥活儿?', { k: 5 });
    expect(result.coverage).not.toBe('none');
    const named = await retriever.search('芦篙村那个“民事民议”是个啥玩意儿?', { k: 5 });
    expect(named.familiarity).toBe(1);
    // in 孤儿 the 儿 is a child: a thing the essays do not name
    expect((await retriever.search('村里的孤儿平时谁来照顾?', { k: 5 })).familiarity).toBe(0);
  });

  it('answers a comparison from several essays: the second passage is the best of another essay', async () => {
    const { retriever } = await sharedIndex();
    const { hits } = await retriever.search('甘肃那篇和青白江那篇在法治方面分别提了啥', { k: 5 });
    expect(new Set(hits.slice(0, 2).map((hit) => hit.essay.id)).size).toBe(2);
  });

  it('never returns the same passage twice (篇十一 repeats 篇八 abstract)', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('佛山基层社会治理改革 地方政府创新社会治理体制', { k: 5 });
    const ids = result.hits.map((hit) => hit.essay.id);
    expect(ids.filter((id) => id === 'p08' || id === 'p11')).toHaveLength(1);
  });

  it('says the knowledge base does not cover unrelated or uncovered questions', async () => {
    const { retriever } = await sharedIndex();
    // (the last shares only everyday words with the essays: 最近, 看看)
    for (const q of ['明天北京天气怎么样?', '个人所得税专项附加扣除怎么算?', '“枫桥经验”是什么?', '我家猫最近老吐毛球,要不要带去医院看看?']) {
      const result = await retriever.search(q, { k: 5 });
      expect(result.covered, q).toBe(false);
      expect(result.hits).toEqual([]);
    }
  });

  it('does not answer a question none of whose things the essays name, even when a word of it matches', async () => {
    const { retriever } = await sharedIndex();
    // 推荐 is in the essays; 电视剧 and 好看 are not
    expect((await retriever.search('推荐几部好看的电视剧', { k: 5 })).covered).toBe(false);
    // 结队 is 结对 with one character mistyped: a thing the essays do name
    expect((await retriever.search('结队培养是怎么个培养法', { k: 5 })).covered).toBe(true);
  });

  it('finds a word the essay writes inside a longer one (高速 in 高速公路), and does not call it missing', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('村里修高速要征地,当时是怎么处理的?', { k: 5 });
    expect(result.found).toContain('高速');
    expect(result.missing).not.toContain('高速');
  });

  it('reads traditional characters, sound-alike typos and preamble as the plain question would', async () => {
    const { retriever } = await sharedIndex();
    const plain = await retriever.search('网格化管理怎样服务社区居民?', { k: 3 });
    for (const variant of ['網格化管理怎樣服務社區居民?', '网各化管理怎样服务社区居民?', '老师好,我下周考社区工作者。想请教一下:网格化管理怎样服务社区居民?']) {
      const result = await retriever.search(variant, { k: 3 });
      expect(result.covered, variant).toBe(true);
      expect(result.hits[0].chunk.id, variant).toBe(plain.hits[0].chunk.id);
    }
  });

  it('does not let an everyday idiom the essays never use (差不多) make a question about their terms unfamiliar', async () => {
    const { retriever } = await sharedIndex();
    expect((await retriever.search('治理和管理听着差不多,到底差在哪?', { k: 3 })).coverage).not.toBe('none');
    expect((await retriever.search('推荐几部好看的电视剧,差不多的都行', { k: 3 })).coverage).toBe('none');
  });

  it('answers how the essays define their central term, however the question asks for the definition', async () => {
    const { retriever } = await sharedIndex();
    expect((await retriever.search('社会治理是怎么界定的?', { k: 3 })).coverage).not.toBe('none');
    expect((await retriever.search('社会治理用大白话讲是什么意思', { k: 3 })).coverage).not.toBe('none');
    expect((await retriever.search('“信息赶集”是个啥,听着挺新鲜', { k: 3 })).coverage).not.toBe('none');
  });

  it('counts a name the dictionary does not know, spelled out in the essays, as something they know', async () => {
    const { retriever } = await sharedIndex();
    // 芦篙村 and 两定一查 reach the query only as bigrams; 玩意儿 is a word the essays never use
    expect((await retriever.search('芦篙村那个“两定一查”到底是啥玩意儿?', { k: 3 })).coverage).not.toBe('none');
    // a run of bigrams the essays do not hold is no evidence
    expect((await retriever.search('苹果手机那个长截屏到底是啥玩意儿?', { k: 3 })).coverage).toBe('none');
  });

  it('puts the passage that lists a set first when the question asks for its members', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('有篇文章说要提升六项能力,这六项能力具体是哪六项?', { k: 3 });
    expect(result.hits[0].chunk.text.replace(/\s/g, '')).toContain('政治能力、思想能力');
  });

  it('understands everyday words for the essays’ terms (工资 → 待遇, 老乡 → 村民, 投诉 → 诉求)', async () => {
    const { retriever } = await sharedIndex();
    for (const q of ['村干部的工资太低留不住人,咋办?', '老乡有意见想投诉,找谁给个说法?']) {
      const result = await retriever.search(q, { k: 3 });
      expect(result.coverage, q).not.toBe('none');
    }
  });

  it('finds passages for an English question through the glossary and pinyin names', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('How does Beichen district use grid management?', { k: 5, ignoreFloor: true });
    expect(result.language).toBe('en');
    expect(result.hits.some((hit) => hit.essay.id === 'p02')).toBe(true);
  });

  it('finds the passage for English words the glossary lacks through the general dictionary', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('How does Tianjin weed out community workers who perform poorly?', { k: 3, ignoreFloor: true });
    expect(result.analyzed.text).toContain('淘汰');
    expect(result.hits.some((hit) => hit.chunk.text.includes('予以罢免或辞退'))).toBe(true);
  });

  it('knows a count whatever it is counted in: 33个成员 is the essays’ 33位成员', async () => {
    const { retriever } = await sharedIndex();
    expect(retriever.corpusHas('33个')).toBe(true);
    expect(retriever.corpusHas('34个')).toBe(false);
  });

  it('judges an English question on the field’s words: everyday words the dictionary finds do not make it covered', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('Can you recommend a good laptop for video editing under $1500?', { k: 5 });
    expect(result.analyzed.text).toContain('推荐');
    expect(result.coverage).toBe('none');
  });

  it('does not answer a figure, name or date the essays do not give', async () => {
    const { retriever } = await sharedIndex();
    for (const q of ['2023年北辰区一共化解了多少件矛盾纠纷?', '上海的一网统管是怎么做的?']) {
      const result = await retriever.search(q, { k: 5 });
      expect(result.coverage, q).toBe('none');
      expect(result.unknownSpecifics.length, q).toBeGreaterThan(0);
    }
  });

  it('knows a Party congress by its number: 二十大 is not in the essays even though 二十 and 十大 are', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('党的二十大对基层治理提了哪些新要求?', { k: 5 });
    expect(result.coverage).toBe('none');
    expect(result.unknownSpecifics).toContain('二十大');
  });

  it('reads a quoted name with one character mistyped as the essays’ name, but not one with another numeral', async () => {
    const { retriever } = await sharedIndex();
    const mistyped = await retriever.search('“一核多无,合作共治”是什么意思?', { k: 5 });
    expect(mistyped.unknownSpecifics).toEqual([]);
    expect(mistyped.coverage).not.toBe('none');
    const other = await retriever.search('“二核多元”是什么意思?', { k: 5 });
    expect(other.unknownSpecifics).toContain('二核多元');
    expect(other.coverage).toBe('none');
  });

  it('does not answer what a named thing consists of from a passage that only mentions it', async () => {
    const { retriever } = await sharedIndex();
    const unlisted = await retriever.search('村干部“小微权力清单”具体包括哪些事项?', { k: 5 });
    expect(unlisted.coverage).toBe('none');
    expect(unlisted.unlistedSet?.named).toEqual(['小微权力清单']);
    expect((await retriever.search('芦篙村的“两定一查”包括哪几步?', { k: 5 })).covered).toBe(true);
  });

  it('does not answer a figure of something the passages never give a figure of', async () => {
    const { retriever } = await sharedIndex();
    // the essays give 湘江新区's figures for 2016, but no GDP
    expect((await retriever.search('湘江新区2016年的GDP是多少', { k: 5 })).covered).toBe(false);
    // 自愿者 is 志愿者 mistyped: the count of volunteers is given
    expect((await retriever.search('天津注册自愿者有多少人?', { k: 5 })).covered).toBe(true);
  });

  it('looks for a name the question quotes next to the figure only when the asking sentence quotes it', async () => {
    const { retriever } = await sharedIndex();
    // “党建云” is what the user's unit studies; the sentence that asks names the platform, whose figures the essay gives
    const result = await retriever.search('我们单位最近在学“党建云”。想问一下,和平区党建数字化平台上线以后,有多少名党员注册了?', { k: 5 });
    expect(result.figureMissing).toBe(false);
    expect(result.covered).toBe(true);
  });

  it('does not answer who is in charge, or what an exam covers, from passages that only share the topic', async () => {
    const { retriever } = await sharedIndex();
    const who = await retriever.search('村务监督委员会的主任一般由谁来担任?', { k: 5 });
    expect(who.coverage).toBe('none');
    expect(who.figureKind).toBe('agent');
    // the essays say recruits sit 笔试、面试, not what the written exam covers
    expect((await retriever.search('天津社区工作者招聘考试考哪几门科目?', { k: 5 })).coverage).toBe('none');
    const refusal = await new Answerer({ retriever }).answer('村务监督委员会的主任一般由谁来担任?');
    expect(refusal.answer).toContain('由谁负责');
    expect(refusal.citations).toEqual([]);
  });

  it('answers a figure question when a retrieved passage below the best three gives the figure', async () => {
    const { retriever } = await sharedIndex();
    const result = await retriever.search('青白江村民议事会成员补贴多少?', { k: 5 });
    expect(result.coverage).not.toBe('none');
    expect(result.hits.some((hit) => hit.chunk.text.includes('50-100补贴'))).toBe(true);
  });

  it('carries a previous question into a follow-up', async () => {
    const { retriever } = await sharedIndex();
    const alone = await retriever.search('那具体应该怎么做?', { k: 3 });
    expect(alone.covered).toBe(false);
    const followUp = await retriever.search('那具体应该怎么做?', { k: 3, context: '杏花村村民议事会开会没人来' });
    expect(followUp.hits[0]?.chunk.text).toMatch(/议事会|杏花村/);
  });

  it('loads a cached index on restart instead of rebuilding, and rebuilds when knowledge changes', async () => {
    const dataDir = tempDataDir();
    const knowledgeDir = join(tempDataDir('zhili-kb-'), 'kb');
    cpSync('knowledge', knowledgeDir, { recursive: true });
    const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 32 };
    const first = await buildIndex(options);
    const second = await buildIndex(options);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.cacheKey).toBe(first.cacheKey);
    expect(second.retriever.embedder).toBeInstanceOf(LocalLsaEmbedder);
    const q = '天津社区工作者职业水平考试';
    expect((await second.retriever.search(q)).hits.map((h) => h.chunk.id)).toEqual((await first.retriever.search(q)).hits.map((h) => h.chunk.id));

    writeFileSync(join(knowledgeDir, 'new.md'), '---\ntitle: 新增文章\n---\n垃圾分类积分制度由社区统一设计。');
    const third = await buildIndex(options);
    expect(third.fromCache).toBe(false);
    expect(third.retriever.essays).toHaveLength(12);
  });
});
