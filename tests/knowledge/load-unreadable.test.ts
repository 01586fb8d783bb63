// A file the bot may not open (EACCES) is skipped with a warning. Tests run as root here, where
// chmod cannot make a file unreadable, so the permission error is injected at the open.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadEssays } from '../../src/knowledge/load.ts';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: Parameters<typeof actual.openSync>[0], ...rest: unknown[]) => {
    if (String(path).endsWith('locked.md')) {
      throw Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES' });
    }
    return (actual.openSync as (...args: unknown[]) => number)(path, ...rest);
  }) as typeof actual.openSync;
  return { ...actual, default: { ...actual, openSync }, openSync };
});

describe('unreadable knowledge files', () => {
  it('skips a file that cannot be opened for lack of permission, and indexes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhili-kb-eacces-'));
    writeFileSync(join(dir, 'good.md'), '---\ntitle: 好文章\n---\n网格化管理的重点是解决群众生活中的实际问题。');
    writeFileSync(join(dir, 'locked.md'), '---\ntitle: 锁住的文章\n---\n这篇读不到。');

    const { essays, warnings } = await loadEssays(dir);

    expect(essays.map((e) => e.file)).toEqual(['good.md']);
    expect(warnings).toEqual(['知识库文件 locked.md 没有读取权限，已跳过。']);
  });
});
