import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledIsCurrent } from '../../scripts/run.mjs';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zhili-run-'));
  mkdirSync(join(dir, 'src', 'retrieval'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'src', 'main.ts'), '');
  writeFileSync(join(dir, 'src', 'retrieval', 'bm25.ts'), '');
  return dir;
}

const at = (dir: string, path: string, seconds: number): void => utimesSync(join(dir, path), seconds, seconds);

describe('the launcher', () => {
  it('runs the compiled build only when it is newer than every source file', () => {
    const dir = project();
    expect(compiledIsCurrent(dir)).toBe(false);
    writeFileSync(join(dir, 'dist', '.built'), '');
    at(dir, 'src/main.ts', 1_000);
    at(dir, 'src/retrieval/bm25.ts', 1_000);
    at(dir, 'dist/.built', 2_000);
    expect(compiledIsCurrent(dir)).toBe(true);
    // a source edited after the build (even deep in a folder) sends the run back to the sources
    at(dir, 'src/retrieval/bm25.ts', 3_000);
    expect(compiledIsCurrent(dir)).toBe(false);
  });
});
