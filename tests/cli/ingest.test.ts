// `cli ingest <files or folders…>`: supported documents copied into the knowledge directory,
// the bad ones reported with their reason, a summary table, and the index rebuilt with them.
import { mkdirSync, mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runIngest } from '../../src/cli/ingest.ts';
import { safeDocumentName, storeDocument } from '../../src/knowledge/store.ts';
import { parseConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { makeDocx, makePdf, makeScannedPdf } from '../helpers/documents.ts';

const temp = (): string => mkdtempSync(join(tmpdir(), 'zhili-ingest-'));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('safe file names for documents from outside', () => {
  it('keeps only the last path component, drops reserved characters and leading dots, and refuses unsupported formats', () => {
    expect(safeDocumentName('../../etc/passwd.md')).toBe('passwd.md');
    expect(safeDocumentName('..\\..\\关于印发《工作方案》的通知.PDF')).toBe('关于印发《工作方案》的通知.pdf');
    expect(safeDocumentName('.hidden.docx')).toBe('hidden.docx');
    expect(safeDocumentName('a<b>:c|d?.html')).toBe('abcd.html');
    expect(safeDocumentName('\u202egnp.txt')).toBe('gnp.txt');
    expect(safeDocumentName('.pdf')).toBe('文档.pdf');
    expect(safeDocumentName('setup.exe')).toBeUndefined();
    expect(safeDocumentName('archive.tar.gz')).toBeUndefined();
  });

  it('never overwrites: another file of that name stays, the new one gets "(2)"; the same bytes again are recognised', async () => {
    const dir = temp();
    expect(await storeDocument(dir, '方案.md', Buffer.from('第一版。'))).toEqual({ status: 'added', name: '方案.md' });
    expect(await storeDocument(dir, '方案.md', Buffer.from('第二版。'))).toEqual({ status: 'renamed', name: '方案 (2).md', wanted: '方案.md' });
    expect(await storeDocument(dir, '又一份.md', Buffer.from('第一版。'))).toEqual({ status: 'unchanged', name: '方案.md' });
    expect(readdirSync(dir).sort()).toEqual(['方案 (2).md', '方案.md']);
  });
});

describe('npm run cli -- ingest', () => {
  it('copies every supported file of the folders and files given, skips the bad ones with reasons, prints a table and indexes them', async () => {
    const source = temp();
    const kb = join(temp(), 'kb');
    mkdirSync(join(source, '子目录'));
    writeFileSync(join(source, '实施意见.pdf'), await makePdf({ title: '关于加强基层治理的实施意见', pages: [[{ text: '坚持党建引领，推动网格化管理和精细化服务，切实提升基层治理效能。' }]] }));
    writeFileSync(join(source, '子目录', '方案.docx'), await makeDocx({ title: '网格化工作方案', blocks: [{ text: '每个网格配备一名专职网格员，负责信息采集和矛盾调解。' }] }));
    writeFileSync(join(source, '子目录', 'scan.pdf'), await makeScannedPdf());
    writeFileSync(join(source, 'readme.odt'), 'not supported');
    writeFileSync(join(source, 'huge.pdf'), '');
    truncateSync(join(source, 'huge.pdf'), 50 * 1024 * 1024);
    const loose = join(temp(), '随笔.md');
    writeFileSync(loose, '# 议事协商\n\n村民议事会让群众的事由群众商量着办。');

    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
    const config = parseConfig({ DATA_DIR: temp(), KNOWLEDGE_DIR: 'knowledge' });

    const code = await runIngest(config, silentLogger, [source, loose, join(source, 'missing.pdf'), '--dir', kb]);

    expect(code).toBe(0);
    expect(readdirSync(kb).sort()).toEqual(['实施意见.pdf', '方案.docx', '随笔.md']);
    const printed = out.join('\n');
    expect(printed).toContain('已建立索引:3 篇文章');
    expect(printed).toMatch(/实施意见\.pdf\s+已添加\s+《关于加强基层治理的实施意见》\s+1/);
    expect(printed).toMatch(/方案\.docx\s+已添加\s+《网格化工作方案》\s+1/);
    expect(printed).toMatch(/scan\.pdf\s+跳过\s+没有文字层/);
    expect(printed).toMatch(/huge\.pdf\s+跳过\s+太大（50 MB，上限 20 MB）/);
    expect(printed).toMatch(/missing\.pdf\s+跳过\s+文件或文件夹不存在/);
    expect(printed).toContain('共 6 个文件:添加 3 个(3 段),已存在 0 个,跳过 3 个。');
    // not a terminal: one plain progress line per file instead of a bar
    expect(err.filter((line) => /^\[\d\/5\] /.test(line))).toHaveLength(5);

    out.length = 0;
    expect(await runIngest(config, silentLogger, [join(source, '实施意见.pdf'), '--dir', kb])).toBe(0);
    expect(out.join('\n')).toMatch(/实施意见\.pdf\s+已存在/);
    expect(readdirSync(kb)).toHaveLength(3);
  }, 30_000);

  it('explains an unknown option', async () => {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
    expect(await runIngest(parseConfig({ DATA_DIR: temp() }), silentLogger, ['--frobnicate'])).toBe(1);
    expect(err.join('\n')).toContain('不认识的选项 --frobnicate');
  });
});
