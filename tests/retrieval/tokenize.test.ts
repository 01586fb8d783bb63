import { describe, expect, it } from 'vitest';
import { bigrams, indexTerms, isBigramTerm, TermEncoder, words } from '../../src/retrieval/tokenize.ts';
import { TermTable } from '../../src/retrieval/term-table.ts';
import { analyzeQuery } from '../../src/retrieval/query.ts';

describe('tokenizer', () => {
  it('segments Chinese with jieba and drops stop words and punctuation', () => {
    expect(words('北辰区的基层治理经验是什么?')).toEqual(['北辰区', '基层', '治理', '经验']);
  });

  it('adds character bigrams inside runs of content words only', () => {
    expect(bigrams('网格化管理怎么做')).toEqual(['网格', '格化', '化管', '管理']);
    const terms = indexTerms('网格化管理');
    expect(terms.filter((t) => !isBigramTerm(t))).toEqual(['网格化', '管理']);
  });

  it('normalises full-width Latin letters and digits', () => {
    expect(words('ＰＰＴ播放')).toContain('ppt');
  });

  it('expands everyday words to the essays vocabulary, keeping the user term primary', () => {
    const analyzed = analyzeQuery('村里开会没人来怎么办?');
    expect(analyzed.weights.get('村里')).toBe(1);
    expect(analyzed.weights.get('会议')).toBeLessThan(1);
    const group = analyzed.groups.find((g) => g.term === '开会');
    expect(group?.alternatives).toContain('议事会');
  });

  it('leaves out the standard list of Chinese function words (那么, 还有, 才能) from what a question is about', () => {
    const terms = analyzeQuery('党员那么多,有上班的有退休的还有在外地打工的,社区管得过来吗').groups.map((g) => g.term);
    expect(terms).not.toContain('那么');
    expect(terms).not.toContain('还有');
    expect(terms).toEqual(expect.arrayContaining(['党员', '社区']));
  });

  it('takes names and figures from the sentences that ask, not from the background', () => {
    const q = '上次单位理论学习,有人说“社会治理”是十九大才提的,我觉得更早。按那篇文章,我们党是在哪次会议上首次提出这个概念的?';
    expect(analyzeQuery(q).specifics).not.toContain('十九大');
    expect(analyzeQuery('到了十九大报告是怎么改的?').specifics).toContain('十九大');
  });

  it('reads the topic from what the user said about themselves when the asking sentence names nothing', () => {
    const q = '我们课题组在梳理基层社会治理普遍存在的问题,想和这篇文章的归纳对照一下。它一共列了哪几个方面的问题?';
    expect(analyzeQuery(q).groups.map((g) => g.term)).toEqual(expect.arrayContaining(['基层', '治理']));
    // with a topic in the question itself, the introduction stays out of it
    expect(analyzeQuery('我们课题组在做调研。想问问网格化管理是怎么做的?').groups.map((g) => g.term)).not.toContain('课题组');
  });

  it('does not take spoken discourse markers (说白了, 说实话) for the topic', () => {
    const terms = analyzeQuery('芦篙村那个“两定一查”说白了是啥意思?').groups.map((g) => g.term);
    expect(terms).not.toContain('说白了');
    expect(analyzeQuery('说实话,社会治理到底是咋回事?').groups.map((g) => g.term)).toEqual(expect.arrayContaining(['治理']));
    expect(analyzeQuery('说实话,社会治理到底是咋回事?').groups.map((g) => g.term)).not.toContain('说实话');
  });

  it('does not take the words that ask for a definition for the topic', () => {
    const terms = analyzeQuery('请问文章里社会治理是怎么定义的?').groups.map((g) => g.term);
    expect(terms).toContain('治理');
    expect(terms).not.toContain('定义');
  });

  it('does not take asking words (哪些地方, 几句话, 哪一年) for the topic, but keeps 几乎', () => {
    const terms = (q: string): string[] => analyzeQuery(q).groups.map((g) => g.term);
    expect(terms('杏花村治理得好,具体体现在哪些地方?')).not.toContain('哪些地方');
    expect(terms('北辰区的基层治理经验总结起来是哪几句话?')).not.toContain('几句话');
    expect(terms('朝阳里社区的志愿服务最早是哪一年开始的?')).not.toContain('哪一年');
    expect(terms('村民几乎都不来开会怎么办?')).toContain('几乎');
  });

  it('does not take 镇里 or 县里 (in the town) for a place name', () => {
    expect(analyzeQuery('刚当上村支书,镇里开会说要从管理型转成服务型,具体要怎么转?').specifics).not.toContain('镇里');
    expect(analyzeQuery('大瑶镇扩权强镇,给镇里放了多少权?').specifics).not.toContain('镇里');
  });

  it('takes a law-like word for a document name only when it is not a generic phrase', () => {
    expect(analyzeQuery('文章里讲加强基层法治教育有哪些具体办法?').specifics).not.toContain('具体办法');
    expect(analyzeQuery('村民委员会组织法怎么规定的?').specifics).toContain('组织法');
    expect(analyzeQuery('到了十九大报告是怎么改的?').specifics).toContain('十九大');
    expect(analyzeQuery('民法典对村民委员会怎么规定的?').specifics).toContain('民法典');
    // ways of doing things that end in 法 are no laws
    expect(analyzeQuery('村里后备干部咋培养,有没有啥接地气的土办法?').specifics).not.toContain('土办法');
    expect(analyzeQuery('乡镇综合执法怎么搞?').specifics).toEqual([]);
    expect(analyzeQuery('土地管理法对宅基地怎么规定?').specifics).toContain('土地管理法');
    expect(analyzeQuery('十九届四中全会提出了什么?').specifics).toContain('十九届四中全会');
  });

  it('encodes a text as ids into the term table exactly as indexTerms and the table do, in the same order', () => {
    const texts = [
      '北辰区的基层治理经验是什么?网格化管理、村民议事会。',
      '2019年,ＰＰＴ播放了 abc 的 V2.0 版本;社区工作者 3 人',
      '网格化管理怎么做',
      '一 二 三 是 的 了 人 中',
      '',
      '“枫桥经验”在新时代的发展:矛盾不上交,平安不出事,服务不缺位。',
    ];
    const table = new TermTable();
    const encoder = new TermEncoder();
    for (const text of [...texts, ...texts]) expect(Array.from(encoder.encode(text))).toEqual(Array.from(table.encode(indexTerms(text))));
    expect(encoder.table.terms).toEqual(table.terms);
  });
});
