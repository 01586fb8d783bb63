// A 50 MB file is refused by its size on the open file descriptor: not one byte of it is read.
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadEssays } from '../../src/knowledge/load.ts';

const opened = new Map<number, string>();
const read: string[] = [];

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: Parameters<typeof actual.openSync>[0], ...rest: unknown[]) => {
    const fd = (actual.openSync as (...args: unknown[]) => number)(path, ...rest);
    opened.set(fd, String(path));
    return fd;
  }) as typeof actual.openSync;
  const readFileSync = ((target: unknown, ...rest: unknown[]) => {
    read.push(typeof target === 'number' ? (opened.get(target) ?? `fd ${target}`) : String(target));
    return (actual.readFileSync as (...args: unknown[]) => unknown)(target, ...rest);
  }) as typeof actual.readFileSync;
  return { ...actual, default: { ...actual, openSync, readFileSync }, openSync, readFileSync };
});

describe('a file over the size limit', () => {
  it('is skipped with a warning and never read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhili-kb-huge-'));
    writeFileSync(join(dir, 'good.md'), '---\ntitle: 好文章\n---\n网格化管理的重点是解决群众生活中的实际问题。');
    for (const name of ['huge.pdf', 'huge.docx', 'huge.html']) {
      writeFileSync(join(dir, name), '');
      truncateSync(join(dir, name), 50 * 1024 * 1024);
    }
    const { essays, warnings } = await loadEssays(dir);
    expect(essays.map((e) => e.file)).toEqual(['good.md']);
    expect(warnings).toHaveLength(3);
    for (const warning of warnings) expect(warning).toMatch(/^知识库文件 huge\.(pdf|docx|html) 太大（50 MB，上限 20 MB），已跳过。$/);
    expect(read.some((path) => path.endsWith('good.md'))).toBe(true);
    expect(read.filter((path) => /\/huge\.\w+$/.test(path))).toEqual([]);
  });
});
