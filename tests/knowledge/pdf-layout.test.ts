// The PDF page layout rules on their own: which lines are running headers, footers and page numbers.
import { describe, expect, it } from 'vitest';
import { isPageNumber, layoutPdfText, type PdfPage } from '../../src/knowledge/formats/pdf-layout.ts';

const page = (lines: Array<[string, number?]>): PdfPage => lines.map(([text, size = 12], i) => ({ text, size, y: 800 - i * 18 }));

describe('PDF page layout', () => {
  it('knows bare page numbers in their usual Chinese and Latin forms', () => {
    for (const line of ['3', '- 3 -', '— 12 —', '－ ３ －', '第3页', '第 3 页 共 10 页', '3/10', 'Page 3 of 10']) expect(isPageNumber(line), line).toBe(true);
    for (const line of ['3、加强党建引领', '2024年', '第三章 总则', '共建共治共享']) expect(isPageNumber(line), line).toBe(false);
  });

  it('drops lines repeated at the top or bottom of most pages (numbers in them may differ) and keeps the same words in the body', () => {
    const pages = [1, 2, 3].map((n) =>
      page([[`XX市人民政府办公室  第 ${n} 页`], ['正文第' + '一二三'[n - 1] + '页的内容，社区治理要依靠群众。'], ['XX市人民政府办公室'], [`${n}`]]),
    );
    const text = layoutPdfText(pages);
    expect(text).not.toContain('第 1 页');
    expect(text).not.toMatch(/^\d$/m);
    expect(text).toContain('正文第一页的内容，社区治理要依靠群众。');
    expect(text.split('\n').filter((l) => l.includes('XX市人民政府办公室'))).toHaveLength(0);
  });

  it('keeps a line that only one page has at its top, and marks larger type as headings', () => {
    const text = layoutPdfText([page([['总体要求', 16], ['坚持以人民为中心的发展思想。']]), page([['基本原则', 16], ['坚持党的全面领导。']])]);
    expect(text).toBe('# 总体要求\n\n坚持以人民为中心的发展思想。\n\n# 基本原则\n\n坚持党的全面领导。');
  });
});
