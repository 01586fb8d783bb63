import { describe, expect, it } from 'vitest';
import { cleanText, normalizeForMatch, stripBoilerplate, toParagraphs } from '../../src/knowledge/clean.ts';

describe('cleaning scraped essay text', () => {
  it('rejoins a sentence broken across lines without adding spaces', () => {
    const { text } = cleanText('(3)尊重民意是中心。农村工作千头万绪,矛盾重重,\n征地拆迁更是农村基层治理的一大难题,而发动群众参与自\n治则能有效化解矛盾、解决问题。');
    expect(text).toBe('(3)尊重民意是中心。农村工作千头万绪,矛盾重重,征地拆迁更是农村基层治理的一大难题,而发动群众参与自治则能有效化解矛盾、解决问题。');
  });

  it('keeps a finished sentence and the next one as separate paragraphs', () => {
    const paragraphs = toParagraphs('第一句话说完了。\n第二段开始了,内容很长很长很长很长很长很长很长很长很长很长很长很长。');
    expect(paragraphs.map((p) => p.text)).toEqual(['第一句话说完了。', '第二段开始了,内容很长很长很长很长很长很长很长很长很长很长很长很长。']);
  });

  it('treats a short unpunctuated line after a finished paragraph as a heading', () => {
    const paragraphs = toParagraphs('上一段结束。\n抓好村级党员后备干部培养,是增强农村基层组织活力的重要前提\n当前农村社会人员流动性大。');
    expect(paragraphs[1]).toMatchObject({ text: '抓好村级党员后备干部培养,是增强农村基层组织活力的重要前提', heading: true });
    expect(paragraphs[2].text).toBe('当前农村社会人员流动性大。');
  });

  it('does not take a broken line with a sentence inside for a heading', () => {
    const paragraphs = toParagraphs('上一段结束。\n(3)村级资金不足导致村干部人才队伍不稳定。村级\n财政有限。');
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[1]).toMatchObject({ text: '(3)村级资金不足导致村干部人才队伍不稳定。村级财政有限。', heading: false });
  });

  it('keeps Markdown headings as section markers with their depth', () => {
    const paragraphs = toParagraphs('## 一、创新工作机制\n\n正文。');
    expect(paragraphs[0]).toEqual({ text: '一、创新工作机制', heading: true, level: 2 });
  });

  it('drops site boilerplate: URLs, page numbers, 小编 sentences, the 栏目最新 sidebar', () => {
    const raw = [
      '龙源期刊网http://www.qikan.com.cn',
      '基层治理很重要。下面是小编为大家整理的基层治理体制机制创新的思考与实践(11篇),供大家参考。',
      '社会组织、企业组织甚至公民个人就从社会被管理的对象转变成参与社会治理的主体,能更好地发',
      '1',
      '挥其作用。',
      '【关键词】基层【中图分类号】D669【文献标识码】A【文章编号】1001-0475(20XX)0110092-03',
      'P> 作者:张青',
      '栏目最新:',
      '- 什么是低空经济2024-09-18',
    ].join('\n');
    const stripped = stripBoilerplate(raw);
    expect(stripped).not.toMatch(/龙源|http|小编|中图分类号|栏目最新|低空经济|P>/);
    expect(cleanText(raw).text).toContain('参与社会治理的主体,能更好地发挥其作用。');
  });

  it('normalises away whitespace and punctuation for matching', () => {
    expect(normalizeForMatch('一核引领、一网覆盖,\n六治融合。')).toBe('一核引领一网覆盖六治融合');
  });
});

describe('normalizeForMatch', () => {
  const byPattern = (text: string): string => text.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();

  it('is the punctuation-and-space-stripping pattern, lower-cased, for every character and any mix', async () => {
    for (let cp = 0; cp < 0x110000; cp += 1) {
      const text = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      if (normalizeForMatch(text) !== byPattern(text)) expect(normalizeForMatch(text), `U+${cp.toString(16)}`).toBe(byPattern(text));
    }
    const pool = ['a', 'Z', 'İ', 'ß', ' ', '\u3000', '\n', '\uFEFF', ',', '。', '!', '%', '😀', '👍🏽', '\uD800', '\uDC00', '网', '格', '·', '—', '《', '》', '\u00A0', 'Σ', '𝐀', '𠀋', '\u0301', '①'];
    let seed = 3;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 20000; i += 1) {
      let text = '';
      for (let j = next(12); j > 0; j -= 1) text += next(3) === 0 ? String.fromCharCode(next(0x10000)) : pool[next(pool.length)];
      expect(normalizeForMatch(text), JSON.stringify(text)).toBe(byPattern(text));
    }
    const { readFileSync, readdirSync } = await import('node:fs');
    for (const name of readdirSync('knowledge')) {
      const text = readFileSync(`knowledge/${name}`, 'utf8');
      expect(normalizeForMatch(text)).toBe(byPattern(text));
    }
  });
});
