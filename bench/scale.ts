// One benchmark measurement in its own process, so time and memory figures are its own.
//   npx tsx bench/scale.ts <system|baseline> <build|serve> <knowledgeDir> <dataDir>  → one JSON line
// build: from nothing to a cached index on disk. serve: a fresh process with that cache, timed
// from the process's start to its first answer, then `ask` latency over the eval questions.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latencies, percentile, selfReport } from './measure.ts';

const [system, mode, knowledgeDir, dataDir] = process.argv.slice(2);
const FIRST_QUESTION = '北辰区的基层治理经验是什么?';

function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const percent = Math.floor((done / Math.max(1, total)) * 100);
    if (percent === last) return;
    last = percent;
    const filled = Math.round(percent / 4);
    process.stderr.write(`\r  建索引 [${'█'.repeat(filled)}${'░'.repeat(25 - filled)}] ${percent}%${percent === 100 ? '\n' : ''}`);
  };
}

async function questions(): Promise<string[]> {
  const { loadQuestions } = await import('../src/eval/questions.ts');
  return loadQuestions('eval/questions.jsonl').map((q) => q.question);
}

async function runSystem(): Promise<Record<string, unknown>> {
  const { buildIndex } = await import('../src/retrieval/build.ts');
  const importedMs = performance.now();
  const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 64, onProgress: mode === 'build' ? progressBar() : undefined };
  const started = performance.now();
  const built = await buildIndex(options);
  const indexMs = performance.now() - started;
  if (mode === 'build') return { buildMs: Math.round(indexMs), chunks: built.retriever.chunks.length, essays: built.retriever.essays.length, fromCache: built.fromCache };
  if (!built.fromCache) throw new Error('serve: expected a cached index');
  const { Answerer } = await import('../src/answer/answerer.ts');
  const answererImportedMs = performance.now();
  const answerer = new Answerer({ retriever: built.retriever });
  await answerer.answer(FIRST_QUESTION);
  // performance.now() counts from the process's start: node, tsx, imports, index, first answer
  const firstAnswerMs = performance.now();
  const sorted = await latencies((q) => answerer.answer(q), await questions());
  const phases = { importMs: Math.round(importedMs), answererImportMs: Math.round(answererImportedMs - importedMs - indexMs), firstQueryMs: Math.round(firstAnswerMs - answererImportedMs) };
  return { loadMs: Math.round(indexMs), firstAnswerMs: Math.round(firstAnswerMs), ...phases, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function runBaseline(): Promise<Record<string, unknown>> {
  const { BigramBaseline } = await import('../src/eval/baseline.ts');
  const file = join(dataDir, 'baseline.json');
  if (mode === 'build') {
    const started = performance.now();
    const { loadEssays } = await import('../src/knowledge/load.ts');
    const { essays } = await loadEssays(knowledgeDir);
    const baseline = await BigramBaseline.build(essays);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(baseline.toJSON()));
    return { buildMs: Math.round(performance.now() - started), chunks: baseline.toJSON().chunks.length, essays: essays.length };
  }
  const started = performance.now();
  const baseline = BigramBaseline.fromJSON(readFileSync(file, 'utf8'));
  const loadMs = performance.now() - started;
  baseline.search(FIRST_QUESTION, 1);
  const firstAnswerMs = performance.now();
  const sorted = await latencies((q) => baseline.search(q, 1), await questions());
  return { loadMs: Math.round(loadMs), firstAnswerMs: Math.round(firstAnswerMs), p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function main(): Promise<void> {
  const figures = system === 'baseline' ? await runBaseline() : await runSystem();
  const round = (x: unknown): unknown => (typeof x === 'number' && !Number.isInteger(x) ? Number(x.toFixed(2)) : x);
  console.log(JSON.stringify({ system, mode, ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)])), ...selfReport() }));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
