// What the loader does with knowledge-directory entries that are not plain essay files.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEssays } from '../../src/knowledge/load.ts';
import { buildIndex } from '../../src/retrieval/build.ts';

const SECRET = '机密口令ZX9-不应出现在机器人里';
const GOOD = '---\ntitle: 好文章\n---\n网格化管理的重点是解决群众生活中的实际问题。';
const EXTRA = '---\ntitle: 草稿里的文章\n---\n村规民约是乡村治理的重要依据。';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zhili-kb-entries-'));
  made.push(dir);
  return dir;
}

/** A knowledge dir beside an "outside" dir holding a secret file, both in one temp dir. */
function layout(): { kb: string; outside: string; secret: string } {
  const base = tempDir();
  const kb = join(base, 'knowledge');
  const outside = join(base, 'outside');
  mkdirSync(kb);
  mkdirSync(outside);
  const secret = join(outside, 'secret.txt');
  writeFileSync(secret, `# 外部文件\n\n${SECRET}。`);
  writeFileSync(join(kb, 'good.md'), GOOD);
  return { kb, outside, secret };
}

function warningFor(warnings: string[], name: string): string {
  const found = warnings.filter((w) => w.includes(`知识库文件 ${name} `));
  expect(found, `one warning naming ${name} in ${JSON.stringify(warnings)}`).toHaveLength(1);
  return found[0];
}

function expectNoSecret(essays: Array<{ text: string; title: string }>): void {
  for (const essay of essays) {
    expect(essay.text).not.toContain('机密口令');
    expect(essay.title).not.toContain('外部文件');
  }
}

describe('knowledge directory entries', () => {
  it('never reads a symlink that leads outside the directory, however it gets there', async () => {
    const { kb, outside, secret } = layout();
    symlinkSync(secret, join(kb, 'absolute.md'));
    symlinkSync('../outside/secret.txt', join(kb, 'relative.md'));
    symlinkSync(outside, join(kb, 'linked-dir')); // a directory symlink out of the root…
    symlinkSync('linked-dir/secret.txt', join(kb, 'through-dir.md')); // …and a file reached through it
    symlinkSync(outside, join(kb, 'outside-dir.md'));

    const { essays, warnings } = await loadEssays(kb);

    expect(essays.map((e) => e.file)).toEqual(['good.md']);
    expectNoSecret(essays);
    for (const name of ['absolute.md', 'relative.md', 'through-dir.md', 'outside-dir.md']) {
      expect(warningFor(warnings, name)).toContain('知识库目录之外');
    }
    expect(warnings).toHaveLength(4);
  });

  it('skips dangling and looping symlinks, directories, FIFOs and links to directories, and indexes the rest', async () => {
    const { kb } = layout();
    symlinkSync('missing.md', join(kb, 'dangling.md'));
    symlinkSync('loop.md', join(kb, 'loop.md'));
    mkdirSync(join(kb, 'folder.md'));
    writeFileSync(join(kb, 'folder.md', 'inner.md'), EXTRA);
    mkdirSync(join(kb, 'drafts'));
    symlinkSync('drafts', join(kb, 'drafts-link.txt'));
    execFileSync('mkfifo', [join(kb, 'pipe.md')]);
    writeFileSync(join(kb, 'zz-last.txt'), '基层治理的关键在于群众参与。');

    const { essays, warnings } = await loadEssays(kb);

    expect(essays.map((e) => e.file)).toEqual(['good.md', 'zz-last.txt']);
    expect(warningFor(warnings, 'dangling.md')).toContain('失效的符号链接');
    expect(warningFor(warnings, 'loop.md')).toContain('循环的符号链接');
    expect(warningFor(warnings, 'folder.md')).toMatch(/不是普通文件（是目录）.*已跳过/);
    expect(warningFor(warnings, 'drafts-link.txt')).toMatch(/符号链接，指向的不是普通文件（是目录）/);
    expect(warningFor(warnings, 'pipe.md')).toContain('命名管道');
    expect(warnings).toHaveLength(5);
  });

  it('reads a symlink to a file inside the directory, once, under the link name', async () => {
    const { kb } = layout();
    mkdirSync(join(kb, 'drafts'));
    writeFileSync(join(kb, 'drafts', 'extra.txt'), EXTRA); // subdirectories are not read on their own
    symlinkSync('drafts/extra.txt', join(kb, 'alias.md'));
    symlinkSync(join(kb, 'good.md'), join(kb, 'a-copy-of-good.md')); // sorts before good.md; good.md still wins

    const { essays, warnings } = await loadEssays(kb);

    expect(essays.map((e) => [e.file, e.title])).toEqual([
      ['alias.md', '草稿里的文章'],
      ['good.md', '好文章'],
    ]);
    expect(warningFor(warnings, 'a-copy-of-good.md')).toContain('是指向 good.md 的符号链接，同一篇文章不重复收录');
    expect(warnings).toHaveLength(1);
  });

  it('judges "inside" by real paths when the knowledge directory itself is a symlink', async () => {
    const { kb, secret } = layout();
    const linkedRoot = join(tempDir(), 'kb-link');
    symlinkSync(kb, linkedRoot);
    writeFileSync(join(kb, 'extra.txt'), EXTRA);
    symlinkSync(join(linkedRoot, 'extra.txt'), join(kb, 'via-root-link.md'));
    symlinkSync(secret, join(kb, 'leak.md'));

    const { essays, warnings } = await loadEssays(linkedRoot);

    expect(essays.map((e) => e.file)).toEqual(['extra.txt', 'good.md']);
    expectNoSecret(essays);
    expect(warningFor(warnings, 'via-root-link.md')).toContain('是指向 extra.txt 的符号链接');
    expect(warningFor(warnings, 'leak.md')).toContain('知识库目录之外');
  });

  it.skipIf(process.getuid?.() === 0)('skips a file it may not read, with a warning', async () => {
    const { kb } = layout();
    writeFileSync(join(kb, 'locked.md'), EXTRA);
    chmodSync(join(kb, 'locked.md'), 0o000);

    const { essays, warnings } = await loadEssays(kb);

    expect(essays.map((e) => e.file)).toEqual(['good.md']);
    expect(warningFor(warnings, 'locked.md')).toContain('没有读取权限');
  });

  it('builds the index (start-up) from a directory with such entries, without the outside file', async () => {
    const { kb, secret } = layout();
    symlinkSync(secret, join(kb, 'leak.md'));
    symlinkSync('missing.md', join(kb, 'dangling.md'));
    mkdirSync(join(kb, 'x.md'));

    const built = await buildIndex({
      knowledgeDir: kb,
      dataDir: tempDir(),
      chunking: { chunkSize: 500, chunkOverlap: 80 },
      lsaDimensions: 8,
      noCache: true,
    });

    expect(built.retriever.essays.map((e) => e.file)).toEqual(['good.md']);
    expect(built.retriever.chunks.some((c) => c.text.includes('机密口令'))).toBe(false);
    expect(built.retriever.corpusHas(SECRET)).toBe(false);
    for (const name of ['leak.md', 'dangling.md', 'x.md']) warningFor(built.warnings, name);
  });
});
