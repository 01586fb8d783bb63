import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/answer/answerer.ts';
import { DEFAULT_EXTRACTIVE, selectSentences, sentenceKey, type SelectedSentence } from '../../src/answer/extractive.ts';
import { fillerShare, isIntro, isNumberedHeading, labelLength, splitSentences } from '../../src/answer/sentences.ts';
import { bigrams } from '../../src/retrieval/tokenize.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

async function select(question: string, context?: string, exclude?: ReadonlySet<string>): Promise<SelectedSentence[]> {
  const { retriever } = await sharedIndex();
  const result = await retriever.search(question, { k: 5, context });
  return selectSentences(question, result.hits, (term) => retriever.idf(term), DEFAULT_EXTRACTIVE, context, exclude);
}

// written from the essays, five kinds of question
const QUESTIONS = {
  define: [
    '社会治理是什么?', '社会治理的复合化结构是什么?', '人本化的目标是什么意思?', '社区网格化管理是什么?',
    '“四增两减”城市更新模式是啥?', '“一核多元,合作共治”是什么?', '“1+X”的政策体系指什么?', '社会治理的实质是什么?',
    '村民自治是什么?', '党群服务中心是什么?', '什么是“互联网+”党建?', '“两定一查”工作方法是什么?',
    '佛山探索的是什么模式?', '村干部是什么角色?', '多元化的主体是什么意思?', '“民生110”是怎么回事?',
  ],
  list: [
    '农村基层治理体制机制存在哪些问题?', '北辰区的基层治理经验是什么?', '社会治理有哪些特点?', '基层社会治理中普遍存在哪些问题?',
    '提高基层党组织治理能力的关键在于哪几点?', '基层党建的引领作用分为哪几类?', '青白江农村基层治理面临哪些困境?',
    '北辰区党建引领基层治理有哪些启示?', '天津市党员日常管理把党员分为哪几类?', '社区工作者的录用要经过哪些程序?',
    '芦篙村和杏花村的基层治理有哪些经验?', '党的建设包括哪几个方面?', '政府简政放权存在哪些不足?',
    '鹅公镇从哪些人中吸纳村级后备干部?', '少数民族地区农村基层治理的关键词有哪些?', '社会治理包含哪几个方面的特点?',
  ],
  how: [
    '村干部队伍年龄老化、青黄不接怎么办?', '天津市怎样用网格化管理服务社区居民?', '芦篙村征地拆迁时怎样尊重民意?',
    '如何提高基层党组织的治理能力?', '鹅公镇怎么培养村级后备干部?', '天津在社工队伍建设上有哪些做法?', '怎样加强基层法治教育?',
    '村级资金不足咋整?', '如何构建农村信息化服务平台?', '杏花村怎样开展民主监督?', '怎么激发社会组织活力?', '如何完善乡村治理机制?',
    '农民信息素养不足有啥招?', '怎样提升基层治理的文化维度?', '天津市如何开展志愿服务?', '天津市怎样完善党建网格?',
  ],
  why: [
    '为什么要发展农村新型社会服务组织?', '农村基层治理体制机制创新不足的原因是什么?', '为啥村干部队伍不稳定?',
    '乡村治理难以推进的症结是什么?', '为什么农村民主法治基础薄弱?', '村民自治为什么会出现“无人可选”局面?',
    '基层社会治理为什么呈现碎片化?', '社会组织为什么缺少主动性?', '大政府模式为什么会失灵?', '为什么要加强村民自治?',
    '农村治理发展不足的根本原因是什么?', '基层党组织为什么要全覆盖?', '杏花村议事会成员为什么最初不积极?',
    '为什么要建立村干部激励保障机制?', '为什么基层治理问题十分复杂?',
  ],
  compare: [
    '芦篙村和杏花村的做法有什么区别?', '各篇文章对村干部培训的看法有什么不同?', '社会管理与社会治理有什么区别?',
    '管理型治理和服务型治理有何不同?', '各篇文章怎么看党建引领基层治理?', '天津和北辰的党建做法有什么不同?',
    '和传统社会管理相比,社会治理有什么变化?', '各篇文章对村民自治的看法有何异同?', '城市社区和农村的治理有什么不同?',
    '几篇文章对后备干部培养的说法一样吗?', '篇八和篇十一有什么差别?', '管制型政府和服务型政府有什么区别?',
    '社会治理和基层党建的关系与区别是什么?', '农村和城市社区的党建有什么不同?', '各篇文章对村干部待遇的说法有何不同?',
  ],
};

// independent of the implementation's own rules: what must never be quoted
const NUMBERED = /^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.．、](?!\d)|【)/;
const LABEL = /^(?:关键词|关键字|摘要|作者简介|基金项目)|关键词[:：]/;
const INTRO = /[:：]["”’」』)）】]*$|(以下|如下)[^，,。]{0,16}[。；;]?$/;
const ITEM = /^(?:[^，,。]{1,12}[,，])?(一是|二是|三是|四是|首先|其次|再次|最后|第[一二三四]|其[一二三]|一方面|另一方面)/;

async function expectQuotable(question: string, selected: SelectedSentence[]): Promise<void> {
  const { retriever } = await sharedIndex();
  expect(selected.length, question).toBeLessThanOrEqual(DEFAULT_EXTRACTIVE.maxSentences);
  const chars = selected.reduce((sum, s) => sum + s.text.length, 0);
  expect(chars, question).toBeLessThanOrEqual(DEFAULT_EXTRACTIVE.maxChars + (selected[0]?.text.length ?? 0));
  selected.forEach((s, i) => {
    const where = `${question} → ${s.text}`;
    const { chunk } = s.hit;
    expect(chunk.text.slice(s.start - chunk.start, s.end - chunk.start), where).toBe(s.text);
    const essay = retriever.essay(chunk.essayId)!;
    const paragraph = essay.paragraphs.find((p) => p.start <= s.start && s.start <= p.end)!;
    expect(paragraph.heading, where).toBe(false);
    const paragraphText = essay.text.slice(paragraph.start, paragraph.end);
    if (NUMBERED.test(s.text)) expect(s.text.length > 32 && paragraphText !== s.text, where).toBe(true);
    expect(s.text, where).not.toMatch(LABEL);
    expect(paragraphText, where).not.toMatch(/^(?:【)?(关键词|关键字)/);
    expect(s.text.length, where).toBeGreaterThanOrEqual(10);
    expect(s.text, where).toMatch(/[。！？!?；;:：]["”’」』)）】]*$/);
    if (INTRO.test(s.text)) {
      const next = selected[i + 1];
      expect(next && next.hit.essay.id === s.hit.essay.id && next.start > s.start && ITEM.test(next.text), where).toBe(true);
    }
    if (s.attribution !== undefined) expect(s.text, where).toMatch(/我们?(镇|村|区|市|县|乡)/);
  });
}

describe('extractive answers', () => {
  it('answers in a few verbatim sentences, each followed by a citation that contains it', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const answer = await answerer.answer('北辰区的基层治理经验是什么?');
    expect(answer.grounded).toBe(true);
    expect(answer.mode).toBe('extractive');
    const sentences = splitSentences(answer.answer);
    expect(sentences.length).toBeGreaterThanOrEqual(1);
    expect(sentences.length).toBeLessThanOrEqual(4);
    for (const { text } of sentences) {
      const match = /^(.*?)((?:\[\d+\])+)$/.exec(text);
      expect(match, text).not.toBeNull();
      const [, body, markers] = match!;
      for (const n of markers.match(/\d+/g)!.map(Number)) {
        const citation = answer.citations.find((c) => c.n === n);
        expect(citation?.quote).toContain(body);
        // the quote is a verbatim slice of the essay
        const essay = retriever.essay(citation!.essayId)!;
        const chunk = retriever.chunk(citation!.chunkId)!;
        expect(essay.text.slice(chunk.start, chunk.end)).toBe(citation!.quote);
      }
    }
    expect(answer.citations.map((c) => c.n)).toEqual(answer.citations.map((_, i) => i + 1));
  });

  it('does not repeat itself (MMR) and never cites the same passage twice', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('佛山基层社会治理改革探索的是什么模式?');
    const sentences = splitSentences(answer.answer).map((s) => s.text.replace(/\[\d+\]/g, ''));
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(new Set(answer.citations.map((c) => c.chunkId)).size).toBe(answer.citations.length);
    expect(answer.citations.filter((c) => c.essayId === 'p08' || c.essayId === 'p11').length).toBeLessThanOrEqual(1);
  });

  it('refuses plainly when the essays do not cover the question, with suggestions and no sources', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('推荐一部最近好看的电影吧');
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.answer).toContain('没有涉及');
    expect(answer.suggestions.length).toBeGreaterThan(0);
  });

  it('suggests only questions the knowledge base really answers', async () => {
    const { retriever } = await sharedIndex();
    const answerer = new Answerer({ retriever });
    const refusal = await answerer.answer('红烧肉怎么做?');
    for (const suggestion of refusal.suggestions) {
      expect((await answerer.answer(suggestion)).grounded, suggestion).toBe(true);
    }
  });
});

describe('extractive follow-ups', () => {
  it('answers "那具体应该怎么做?" with several sentences about the previous topic', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('那具体应该怎么做?', { context: '村干部队伍年龄老化、青黄不接怎么办' });
    expect(answer.grounded).toBe(true);
    expect(splitSentences(answer.answer).length).toBeGreaterThanOrEqual(2);
    expect(answer.answer).toMatch(/后备干部|青年|党员/);
  });
});

describe('question-aware sentence selection', () => {
  it('says what 北辰区\'s experience is instead of that it deserves summing up', async () => {
    const selected = await select('北辰区的基层治理经验是什么?');
    // the lead names the practice, or says what it changed; a sentence that only praises it is never quoted
    expect(selected[0].text).toMatch(/“一核引领、一网覆盖、六治融合”|从等问题到找问题|必须/);
    for (const { text } of selected) expect(fillerShare(text), text).toBeLessThan(1);
    expect(selected.map((s) => s.text).join('')).toMatch(/从等问题到找问题|必须/);
  });

  it('answers what a practice is called with the sentence that names it', async () => {
    for (const question of ['天津北辰区那套搞法说白了叫啥名堂', '北辰区搞基层治理那套打法,口号咋说的?']) {
      const selected = await select(question);
      // the sentence that names it is read first
      expect(selected[0].text, question).toContain('一核引领、一网覆盖、六治融合');
    }
  });

  for (const [form, questions] of Object.entries(QUESTIONS)) {
    it(`never quotes a heading, a label line, a fragment or a dangling list intro (${form} questions)`, async () => {
      for (const question of questions) {
        const selected = await select(question);
        expect(selected.length, question).toBeGreaterThan(0);
        await expectQuotable(question, selected);
      }
    });
  }

  it('leaves out the numbered heading "2.完善党建网格…" and keyword lines', async () => {
    for (const question of ['天津市怎样完善党建网格?', '社区网格化管理是什么?', '少数民族地区农村基层治理的关键词有哪些?']) {
      const texts = (await select(question)).map((s) => s.text);
      expect(texts.join('\n'), question).not.toMatch(/^2\.完善党建网格|关键词|少数民族地区;/m);
    }
  });

  it('leaves out a long numbered heading written inline before its text, "(3)充分发挥村民议事会……作用。"', async () => {
    for (const question of ['村民议事会是啥?', '村民议事会在村里的事上起什么作用?']) {
      const texts = (await select(question)).map((s) => s.text);
      expect(texts.length, question).toBeGreaterThan(0);
      expect(texts.join('\n'), question).not.toMatch(/^[(（]3[)）]充分发挥村民议事会/m);
    }
  });

  it('puts the defining sentence first for define questions', async () => {
    const cases: Array<[string, RegExp]> = [
      ['社会治理的复合化结构是什么?', /^社会治理的复合化结构,是指/],
      ['人本化的目标是什么意思?', /^人本化的目标是指/],
      ['社区网格化管理是什么?', /^社区网格化管理是/],
      ['“四增两减”城市更新模式是啥?', /“四增两减”城市更新模式,即/],
      ['“1+X”的政策体系指什么?', /“1\+X”的政策体系,即/],
      ['社会治理的实质是什么?', /^社会治理的实质是/],
      ['村干部是什么角色?', /^村干部是/],
    ];
    for (const [question, first] of cases) expect((await select(question))[0]?.text, question).toMatch(first);
  });

  it('includes the enumeration for list questions, with the intro first and the items in order', async () => {
    const keys = (await select('提高基层党组织治理能力的关键在于哪几点?')).map((s) => s.text);
    const intro = keys.findIndex((t) => t.endsWith('关键在于以下两点:'));
    expect(intro).toBeGreaterThanOrEqual(0);
    expect(keys[intro + 1]).toMatch(/^一是/);
    expect(keys[intro + 2]).toMatch(/^二是/);
    // with 500-character passages this list sits under a numbered sub-heading and its items are
    // not gathered; the answer still comes from the section on the problems (known gap, see README)
    const problems = await select('农村基层治理体制机制存在哪些问题?');
    expect(problems[0].hit.chunk.section).toMatch(/存在的问题/);
    expect((await select('天津市党员日常管理把党员分为哪几类?'))[0].text).toMatch(/在职党员、无职党员、退休党员和流动党员四类/);
  });

  it('leads with measures for how questions and causes for why questions', async () => {
    expect((await select('天津市在社工队伍建设上有哪些做法?')).map((s) => s.text).slice(0, 2).join('')).toMatch(/首先,严格实行/);
    expect((await select('农村基层治理体制机制创新不足的原因是什么?'))[0].text).toMatch(/主要原因是/);
  });

  it('leads with the sentence that gives the figure a question asks for', async () => {
    expect((await select('村干部一个月能拿多少钱'))[0].text).toMatch(/村干部待遇1500-2200不等/);
  });

  it('follows a short point with the sentence that spells it out', async () => {
    const texts = (await select('怎样加大农村党建投入?')).map((s) => s.text);
    const point = texts.findIndex((t) => t.startsWith('三是加大农村党建投入'));
    expect(point).toBeGreaterThanOrEqual(0);
    expect(texts[point + 1]).toMatch(/^加大对艰苦地区党组织的扶持力度/);
  });

  it('spells out a short point chosen after the lead too', async () => {
    const texts = (await select('天津社区党员分几类,分别怎么管?')).map((s) => s.text);
    const point = texts.findIndex((t) => t.startsWith('其次,严格强化党员日常管理'));
    expect(point).toBeGreaterThan(0);
    expect(texts[point + 1]).toMatch(/^将所属党员划分为在职党员/);
  });

  it('reads a spelled-out sentence right after its point', async () => {
    const texts = (await select('基层治理最首要的问题是啥?')).map((s) => s.text);
    const point = texts.findIndex((t) => t.startsWith('二是加强基层党风廉政建设'));
    expect(point).toBeGreaterThan(0);
    expect(texts[point + 1]).toMatch(/^教育引导广大领导干部树立正气/);
  });

  it('quotes each side of a comparison, not only the first essay', async () => {
    const { retriever } = await sharedIndex();
    const answer = await new Answerer({ retriever }).answer('北辰区和青白江搞基层治理的路子有什么不同?');
    const essays = new Set(answer.citations.map((c) => c.essayId));
    expect(essays.has('p02')).toBe(true);
    expect(essays.has('p10')).toBe(true);
  });

  it('names who "我镇" is, and keeps the quote verbatim', async () => {
    const selected = await select('鹅公镇从哪些人中吸纳村级后备干部?');
    const own = selected.find((s) => s.text.includes('我镇'));
    expect(own?.attribution).toBe('鹅公镇的做法:');
    expect(own!.hit.chunk.text).toContain(own!.text);
    // the essay never names the city it calls "我市"
    const city = (await select('权力清单制度是怎么实施的?')).find((s) => /我市/.test(s.text));
    expect(city?.attribution).toMatch(/^文中作者所在地的/);
    expect(selected.filter((s) => !/我们?[镇村区市县乡]/.test(s.text)).every((s) => s.attribution === undefined)).toBe(true);
  });
});

describe('follow-ups bring new material', () => {
  it('never repeats a quoted sentence (or a near-duplicate) and finally says nothing more', async () => {
    const question = '村干部队伍年龄老化、青黄不接怎么办?';
    const first = await select(question);
    const exclude = new Set(first.map(sentenceKey));
    const said = first.map((s) => new Set(bigrams(s.text)));
    const next = await select('那具体怎么做?', question, exclude);
    expect(next.length).toBeGreaterThan(0);
    await expectQuotable('那具体怎么做?', next);
    expect(next.map((s) => s.text).join('')).toMatch(/后备干部|青年|党员|生力军/);
    let rounds = 0;
    for (let round = next; round.length > 0 && rounds < 12; round = await select('那具体怎么做?', question, exclude), rounds += 1) {
      for (const s of round) {
        expect(exclude.has(sentenceKey(s)), s.text).toBe(false);
        const grams = new Set(bigrams(s.text));
        for (const old of said) {
          const shared = [...grams].filter((g) => old.has(g)).length;
          expect(shared / Math.sqrt(grams.size * old.size || 1), s.text).toBeLessThan(0.8);
        }
        exclude.add(sentenceKey(s));
        said.push(grams);
      }
    }
    expect(rounds).toBeLessThan(12);
  });

  it('does not quote a duplicate essay\'s copy of an excluded sentence', async () => {
    const first = await select('佛山基层社会治理改革探索的是什么模式?');
    const exclude = new Set(first.map(sentenceKey));
    const again = await select('佛山基层社会治理改革探索的是什么模式?', undefined, exclude);
    const before = new Set(first.map((s) => s.text));
    expect(again.filter((s) => before.has(s.text))).toEqual([]);
  });

  it('keys a sentence by essay and offset', async () => {
    const [s] = await select('社会治理的实质是什么?');
    expect(sentenceKey(s)).toBe(`${s.hit.chunk.essayId}:${s.start}`);
  });
});

describe('sentence rules', () => {
  it('keeps an essay\'s page reference with its sentence', () => {
    expect(splitSentences('基本需要。[1](P.97-101)社会治理是从社会管理发展而来的。').map((s) => s.text)).toEqual([
      '基本需要。[1](P.97-101)',
      '社会治理是从社会管理发展而来的。',
    ]);
  });

  it('tells headings, labels and list intros from content', () => {
    expect(isNumberedHeading('2.完善党建网格,优化社区网格化管理。', false)).toBe(true);
    expect(isNumberedHeading('(1)科学决策是前提。', false)).toBe(true);
    expect(isNumberedHeading('(1)姚渡镇芦稿村位于青白江区东南部,由原芦稿和原大吉两个村于2006年合并而成,辖28个村民小组。', false)).toBe(false);
    expect(isNumberedHeading('一、乡村治理机制的完善,首先必须依赖于法治的健全和制度的完善和创新,必须走上法制化和制度化的轨道。', true)).toBe(true);
    expect(isNumberedHeading('一是保障基层群众权益不足。', false)).toBe(false);
    expect(labelLength('摘要:基层既是社会治理的重点。')).toBe(3);
    expect(labelLength('【摘要】从社会治理的含义出发。')).toBe(4);
    expect(labelLength('基层既是社会治理的重点。')).toBe(0);
    expect(isIntro('但仍存在以下三个方面的问题。')).toBe(true);
    expect(isIntro('关键在于以下两点:')).toBe(true);
    expect(isIntro('以上级转移支付方式满足公共产品的供给。')).toBe(false);
  });

  it('measures evaluative filler by clause', () => {
    expect(fillerShare('其中,天津市北辰区“一核引领、一网覆盖、六治融合”的创新实践,带动北辰基层社会治理取得了诸多成效,其经验值得认真梳理总结。')).toBeGreaterThan(0.5);
    expect(fillerShare('天津市以满足群众的需求为导向,建立社区网格化管理体系。')).toBe(0);
    // what the essay sets out to do is about the essay, not the matter
    expect(fillerShare('从社会治理的含义和特点出发,对基层社会治理中普遍存在的问题进行针对性地分析,并以福建省邵武市“民生110”基层社会治理的创新实践为例,探索通过转变基层政府职能等路径提升基层社会治理的能力。')).toBeGreaterThan(0.7);
    expect(fillerShare('政府经常用单一的行政手段来处理日益多元性、繁杂化的民生诉求现状。')).toBe(0);
  });
});

describe('lists', () => {
  it('reads a sentence of any length that a list follows as announcing it, and quotes the list after it', async () => {
    const texts = (await select('北辰区党建引领基层治理有哪些启示?')).map((s) => s.text);
    const intro = texts.findIndex((t) => t.endsWith('也给我们提供了一些有益启示。'));
    expect(intro).toBeGreaterThanOrEqual(0);
    expect(texts[intro + 1]).toMatch(/^一是必须牢牢抓住党建引领这个根本/);
    expect(texts[intro + 2]).toMatch(/^二是/);
  });
});
