// The benchmark corpus: the essays replicated `scale` times. Replicas get small perturbations
// (numbers shifted, a marker word per copy) so they are not exact duplicates that the index
// would treat identically.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function perturb(text: string, copy: number): string {
  const body = text.replace(/(\d+)/g, (n) => String(Number(n) + copy));
  return body.replace(/基层/g, (m, offset: number) => (offset % 7 === copy % 7 ? `${m}(副本${copy})` : m));
}

/** Writes the replicated corpus under `root` (once) and returns its directory; 1× is knowledge/ itself. */
export function makeCorpus(scale: number, root: string, source = 'knowledge'): string {
  if (scale === 1) return source;
  const dir = join(root, `knowledge-${scale}x`);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(source)) {
    const text = readFileSync(join(source, name), 'utf8');
    for (let copy = 0; copy < scale; copy += 1) {
      const replica = copy === 0 ? text : perturb(text, copy).replace(/^id: (\w+)$/m, `id: $1-${copy}`);
      writeFileSync(join(dir, `${name.replace(/\.md$/, '')}-${copy}.md`), replica);
    }
  }
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

/**
 * One more document for the corpus (for timing an addition): an essay of knowledge/ perturbed as
 * no copy is, under a new file name and id.
 */
export function extraDocument(n = 0, source = 'knowledge'): { name: string; text: string } {
  const names = readdirSync(source).filter((name) => name.endsWith('.md')).sort();
  const name = names[(4 + n) % names.length];
  const copy = 100_000 + n;
  const text = perturb(readFileSync(join(source, name), 'utf8'), copy).replace(/^id: (\w+)$/m, `id: $1-added${n}`);
  return { name: `${name.replace(/\.md$/, '')}-added${n}.md`, text };
}
