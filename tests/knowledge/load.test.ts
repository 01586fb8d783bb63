import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEssays, parseEssayFile } from '../../src/knowledge/load.ts';

function dirWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zhili-kb-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('essay files and front matter', () => {
  it('reads front matter fields', () => {
    const essay = parseEssayFile(
      'x.md',
      '---\nid: p99\npian: 4\ntitle: 测试标题\nauthors: [王宝珍, 朱玉红]\npublication: 新一代\nissue: 2018年第16期\n---\n\n正文第一句。',
    );
    expect(essay).toMatchObject({ id: 'p99', pian: 4, title: '测试标题', authors: ['王宝珍', '朱玉红'], publication: '新一代', issue: '2018年第16期' });
    expect(essay.text).toBe('正文第一句。');
  });

  it('works without front matter: id from the file name, title from the first heading', () => {
    const essay = parseEssayFile('My Essay.txt', '# 社区治理随笔\n\n社区是基层治理的基本单元。');
    expect(essay.id).toBe('my-essay');
    expect(essay.title).toBe('社区治理随笔');
  });

  it('skips unusable files with a warning naming each, and indexes the rest', async () => {
    const dir = dirWith({
      'good.md': '---\ntitle: 好文章\n---\n网格化管理的重点是解决群众生活中的实际问题。',
      'empty.md': '',
      'binary.txt': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]),
      'broken.md': '---\ntitle: [unclosed\n---\n正文。',
      'unterminated.md': '---\ntitle: 没有结束\n正文。',
      'notes.pdf': 'not a PDF at all',
      'notes.odt': 'ignored: not a supported format',
      'enormous.txt': '基层治理。'.repeat(300_000),
    });
    const { essays, warnings } = await loadEssays(dir);
    expect(essays.map((e) => e.title)).toEqual(['好文章']);
    expect(warnings).toHaveLength(6);
    for (const name of ['empty.md', 'binary.txt', 'broken.md', 'unterminated.md', 'enormous.txt', 'notes.pdf']) {
      expect(warnings.some((w) => w.includes(name))).toBe(true);
    }
  });

  it('loads the shipped knowledge base: eleven essays, 篇四 with its real title', async () => {
    const { essays, warnings } = await loadEssays('knowledge');
    expect(warnings).toEqual([]);
    expect(essays).toHaveLength(11);
    const p04 = essays.find((e) => e.pian === 4);
    expect(p04?.title).toBe('浅析甘肃省少数民族地区农村基层治理体制机制的创新');
    expect(p04?.authors).toEqual(['王宝珍', '朱玉红']);
    for (const essay of essays) {
      expect(essay.text).not.toMatch(/龙源期刊网|小编|栏目最新|http/);
    }
  });
});
