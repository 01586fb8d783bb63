// PDF, Word and HTML files in the knowledge directory: their text (cleaned as .md/.txt are),
// their own title/author/date, and the bad ones skipped with a warning naming them.
import { mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkEssay } from '../../src/knowledge/chunk.ts';
import { loadEssays } from '../../src/knowledge/load.ts';
import type { Essay } from '../../src/knowledge/types.ts';
import { buildIndex } from '../../src/retrieval/build.ts';
import { makeDocx, makeEncryptedPdf, makePdf, makeScannedPdf, type PdfSpec } from '../helpers/documents.ts';

const POLICY: PdfSpec = {
  title: '关于加强基层治理体系建设的实施意见',
  author: '北辰区民政局',
  created: new Date('2024-03-05T08:00:00Z'),
  header: '北辰区民政局文件',
  footer: (n) => `- ${n} -`,
  pages: [
    [
      { text: '关于加强基层治理体系建设的实施意见', size: 20 },
      { text: '一、总体要求', size: 15, gapBefore: 10 },
      { text: '坚持党建引领，推动网格化管理和精细化服务，', gapBefore: 6 },
      { text: '切实提升基层治理效能。' },
      { text: '社区网格员每天走访辖区居民，倾听' },
    ],
    [
      { text: '群众诉求，做到小事不出网格、大事不出社区。' },
      { text: '二、主要任务', size: 15, gapBefore: 10 },
      { text: '完善村（居）民议事协商机制，推行“四议两公开”工作法。', gapBefore: 6 },
    ],
    [{ text: '三、保障措施', size: 15 }, { text: '各街道要把基层治理纳入年度考核，定期通报进展。', gapBefore: 6 }],
  ],
};

const ARTICLE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>“接诉即办”让社区治理更有温度 - 人民网</title>
<meta name="author" content="李晓红"><meta property="article:published_time" content="2023-11-20T09:00:00+08:00"><meta property="og:site_name" content="人民网"></head>
<body><nav><ul><li><a href="/">首页</a></li><li><a href="/news">时政新闻</a></li><li>导航栏目不应进入正文</li></ul></nav>
<article><h1>“接诉即办”让社区治理更有温度</h1>
<p>近年来，北京市推行“接诉即办”改革，把12345热线作为了解群众诉求的重要渠道，
推动基层治理从被动处置转向主动治理。</p>
<h2>一、以诉求为导向</h2>
<p>街道和社区对群众反映的问题做到件件有回应、事事有着落，形成了“吹哨报到”的联动机制。</p>
<p>社区工作者每周召开议事会，邀请居民代表共同商量解决停车难、加装电梯等具体问题。</p>
<h2>二、以考核促落实</h2>
<p>区里把响应率、解决率和满意率纳入考核，倒逼各部门主动作为，群众的获得感明显增强。</p></article>
<footer>版权所有 © 人民网 | 京ICP证000000号</footer><script>var tracking = "脚本内容不应进入正文";</script></body></html>`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'zhili-kb-formats-'));
}

/** Every chunk is a verbatim slice of its essay's text, the promise citations rely on. */
async function expectVerbatimChunks(essay: Essay): Promise<void> {
  const chunks = await chunkEssay(essay);
  expect(chunks.length).toBeGreaterThan(0);
  for (const chunk of chunks) expect(essay.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
}

describe('documents of every supported format', () => {
  let dir: string;
  let essays: Essay[];
  let warnings: string[];

  beforeAll(async () => {
    dir = tempDir();
    writeFileSync(join(dir, 'policy.pdf'), await makePdf(POLICY));
    writeFileSync(join(dir, '无标题.pdf'), await makePdf({ pages: [[{ text: '村务监督委员会要定期公开村级财务收支情况，接受群众监督。' }]] }));
    writeFileSync(
      join(dir, 'plan.docx'),
      await makeDocx({
        title: '社区网格化服务管理工作方案',
        creator: '王小明',
        blocks: [
          { heading: 1, text: '社区网格化服务管理工作方案' },
          { heading: 2, text: '一、工作目标' },
          { text: '建立健全“社区—网格—楼栋”三级服务体系，实现网格全覆盖。' },
          { heading: 2, text: '二、工作措施' },
          { text: '每个网格配备一名专职网格员，负责信息采集、矛盾调解和政策宣传。' },
        ],
      }),
    );
    writeFileSync(join(dir, 'article.html'), ARTICLE_HTML);
    writeFileSync(join(dir, 'note.md'), '---\ntitle: 备忘\n---\n乡村振兴离不开基层治理。');
    ({ essays, warnings } = await loadEssays(dir));
  }, 30_000);

  const essayOf = (file: string): Essay => {
    const essay = essays.find((e) => e.file === file);
    if (!essay) throw new Error(`${file} was not loaded: ${JSON.stringify(warnings)}`);
    return essay;
  };

  it('indexes all of them, next to the .md file', () => {
    expect(warnings).toEqual([]);
    expect(essays.map((e) => e.file).sort()).toEqual(['article.html', 'note.md', 'plan.docx', 'policy.pdf', '无标题.pdf']);
  });

  it('PDF: title, author and date from the document, running headers and page numbers dropped, broken lines rejoined', async () => {
    const essay = essayOf('policy.pdf');
    expect(essay).toMatchObject({ title: POLICY.title, authors: ['北辰区民政局'], issue: '2024-03-05' });
    expect(essay.text).not.toContain('北辰区民政局文件');
    expect(essay.text).not.toMatch(/- \d -/);
    // a sentence broken at the end of a line and at the end of page 1 is one paragraph again
    expect(essay.text).toContain('坚持党建引领，推动网格化管理和精细化服务，切实提升基层治理效能。');
    expect(essay.text).toContain('社区网格员每天走访辖区居民，倾听群众诉求，做到小事不出网格、大事不出社区。');
    const sections = new Set(essay.paragraphs.map((p) => p.section.split(' › ').pop()));
    expect([...sections]).toEqual(expect.arrayContaining(['一、总体要求', '二、主要任务', '三、保障措施']));
    await expectVerbatimChunks(essay);
  });

  it('PDF without metadata or headings: the title is the file name', () => {
    const essay = essayOf('无标题.pdf');
    expect(essay.title).toBe('无标题');
    expect(essay.authors).toEqual([]);
    expect(essay.id).toMatch(/^doc-[0-9a-f]{6}$/);
  });

  it('Word: core properties and heading styles', async () => {
    const essay = essayOf('plan.docx');
    expect(essay).toMatchObject({ title: '社区网格化服务管理工作方案', authors: ['王小明'] });
    expect(essay.text).toContain('每个网格配备一名专职网格员，负责信息采集、矛盾调解和政策宣传。');
    expect(essay.paragraphs.filter((p) => p.heading).length).toBeGreaterThanOrEqual(3);
    expect(essay.paragraphs.at(-1)?.section).toContain('二、工作措施');
    await expectVerbatimChunks(essay);
  });

  it('HTML: the article, not the navigation, footer or scripts; title, author, date and site from the page', async () => {
    const essay = essayOf('article.html');
    expect(essay).toMatchObject({ title: '“接诉即办”让社区治理更有温度 - 人民网', authors: ['李晓红'], issue: '2023-11-20', publication: '人民网' });
    // a line break in the HTML source between Chinese characters is not a space
    expect(essay.text).toContain('把12345热线作为了解群众诉求的重要渠道，推动基层治理从被动处置转向主动治理。');
    expect(essay.text).not.toMatch(/导航栏目|版权所有|脚本内容|时政新闻/);
    expect(essay.paragraphs.at(-1)?.section).toContain('二、以考核促落实');
    await expectVerbatimChunks(essay);
  });

  it('HTML in GBK (common on Chinese sites) is decoded by its declared charset', async () => {
    const gbkDir = tempDir();
    const page = '<html><head><meta charset="gbk"><title>村规民约</title></head><body><p>村规民约是村民自我管理、自我服务的重要依据，由村民会议讨论通过。</p></body></html>';
    writeFileSync(join(gbkDir, 'gbk.html'), encodeGbk(page));
    const { essays: loaded, warnings: warned } = await loadEssays(gbkDir);
    expect(warned).toEqual([]);
    expect(loaded[0].text).toBe('村规民约是村民自我管理、自我服务的重要依据，由村民会议讨论通过。');
    expect(loaded[0].title).toBe('村规民约');
  });
});

/** GBK bytes of a string, found by searching the decoder's table (Node has no GBK encoder). */
function encodeGbk(text: string): Buffer {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  const wanted = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let lead = 0x81; lead <= 0xfe && table.size < wanted.size; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      const char = decoder.decode(Buffer.from([lead, trail]));
      if (wanted.has(char) && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return Buffer.from([...text].flatMap((c) => table.get(c) ?? [...Buffer.from(c, 'latin1')]));
}

describe('documents that cannot be indexed', () => {
  it('skips a scan, an encrypted PDF, corrupt files and a 50 MB file, each with a warning naming it and saying why; the rest is indexed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.pdf'), await makePdf({ title: '好文件', pages: [[{ text: '网格化管理的重点是解决群众生活中的实际问题，做到服务在网格。' }]] }));
    writeFileSync(join(dir, 'scan.pdf'), await makeScannedPdf());
    writeFileSync(join(dir, 'locked.pdf'), await makeEncryptedPdf());
    writeFileSync(join(dir, 'broken.pdf'), Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n这里被截断了'));
    writeFileSync(join(dir, 'random.pdf'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'broken.docx'), Buffer.from('PK\u0003\u0004 not really a zip archive'));
    writeFileSync(join(dir, 'old.docx'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
    writeFileSync(join(dir, 'empty.html'), '<html><head><title>空页面</title></head><body><script>1</script></body></html>');
    writeFileSync(join(dir, 'huge.pdf'), '');
    truncateSync(join(dir, 'huge.pdf'), 50 * 1024 * 1024); // sparse: 50 MB on paper, nothing on disk

    const { essays, warnings } = await loadEssays(dir);

    expect(essays.map((e) => e.file)).toEqual(['good.pdf']);
    const warningFor = (name: string): string => {
      const found = warnings.filter((w) => w.startsWith(`知识库文件 ${name} `));
      expect(found, `one warning for ${name} in ${JSON.stringify(warnings)}`).toHaveLength(1);
      expect(found[0]).toMatch(/已跳过。$/);
      return found[0];
    };
    expect(warningFor('scan.pdf')).toContain('没有文字层');
    expect(warningFor('locked.pdf')).toContain('已加密');
    expect(warningFor('broken.pdf')).toContain('已损坏');
    expect(warningFor('random.pdf')).toContain('已损坏');
    expect(warningFor('broken.docx')).toContain('已损坏');
    expect(warningFor('old.docx')).toContain('旧版 .doc');
    expect(warningFor('empty.html')).toContain('没有正文');
    expect(warningFor('huge.pdf')).toContain('太大（50 MB，上限 20 MB）');
    expect(warnings).toHaveLength(8);
  }, 30_000);
});

describe('caching extracted documents', () => {
  it('keeps extracted text by content, and a changed document changes the index cache key', async () => {
    const kb = tempDir();
    const data = tempDir();
    const build = () => buildIndex({ knowledgeDir: kb, dataDir: data, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 16 });
    writeFileSync(join(kb, 'notice.pdf'), await makePdf({ title: '通知', pages: [[{ text: '各社区要在本月底前完成网格员培训工作，确保人人持证上岗。' }]] }));
    const first = await build();
    expect(readdirSync(join(data, 'extracted'))).toHaveLength(1);
    const again = await build();
    expect(again.fromCache).toBe(true);
    expect(again.cacheKey).toBe(first.cacheKey);

    writeFileSync(join(kb, 'notice.pdf'), await makePdf({ title: '通知', pages: [[{ text: '各村要在下月初召开村民代表会议，讨论修订村规民约。' }]] }));
    const changed = await build();
    expect(changed.cacheKey).not.toBe(first.cacheKey);
    expect(changed.fromCache).toBe(false);
    expect(changed.retriever.essays[0].text).toContain('修订村规民约');
  }, 30_000);
});
