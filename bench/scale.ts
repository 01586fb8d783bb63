// One benchmark run at one corpus scale, in its own process so memory figures are its own.
//   npx tsx bench/scale.ts <scale>   → one JSON line on stdout
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Answerer } from '../src/answer/answerer.ts';
import { loadQuestions } from '../src/eval/questions.ts';
import { buildIndex } from '../src/retrieval/build.ts';

const scale = Number(process.argv[2] ?? '1');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

// Replicas get small perturbations (numbers shifted, a marker word per copy) so they are
// not exact duplicates that the index would treat identically.
function perturb(text: string, copy: number): string {
  const body = text.replace(/(\d+)/g, (n) => String(Number(n) + copy));
  return body.replace(/基层/g, (m, offset: number) => (offset % 7 === copy % 7 ? `${m}(副本${copy})` : m));
}

function makeCorpus(): string {
  if (scale === 1) return 'knowledge';
  const dir = join(mkdtempSync(join(tmpdir(), 'zhili-bench-')), 'knowledge');
  mkdirSync(dir);
  for (const name of readdirSync('knowledge')) {
    const source = readFileSync(join('knowledge', name), 'utf8');
    for (let copy = 0; copy < scale; copy += 1) {
      const text = copy === 0 ? source : perturb(source, copy).replace(/^id: (\w+)$/m, `id: $1-${copy}`);
      writeFileSync(join(dir, `${name.replace(/\.md$/, '')}-${copy}.md`), text);
    }
  }
  return dir;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const knowledgeDir = makeCorpus();
  const dataDir = mkdtempSync(join(tmpdir(), 'zhili-bench-data-'));
  const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 64 };
  const buildMs = (await buildIndex(options)).buildMs; // dropped at once: production builds or loads, not both
  const loadStarted = performance.now();
  const reloaded = await buildIndex(options);
  const loadMs = performance.now() - loadStarted;
  const answerer = new Answerer({ retriever: reloaded.retriever });
  const questions = loadQuestions('eval/questions.jsonl').map((q) => q.question);
  const firstStarted = performance.now();
  await answerer.answer(questions[0]);
  const firstAnswerMs = performance.now() - firstStarted;
  for (const q of questions.slice(0, 10)) await answerer.answer(q); // warm-up
  const latencies: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    for (const q of questions) {
      const started = performance.now();
      await answerer.answer(q);
      latencies.push(performance.now() - started);
    }
  }
  latencies.sort((a, b) => a - b);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(
    JSON.stringify({
      scale,
      essays: reloaded.retriever.essays.length,
      chunks: reloaded.retriever.chunks.length,
      buildMs: Math.round(buildMs),
      cachedLoadMs: Math.round(loadMs),
      firstAnswerMs: Math.round(firstAnswerMs),
      p50: Number(percentile(latencies, 50).toFixed(2)),
      p95: Number(percentile(latencies, 95).toFixed(2)),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    }),
  );
}

void main();
