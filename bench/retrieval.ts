// `npm run bench`: a report, not a test. Index build, cold start to first answer, and `ask`
// latency (extractive) at 1×, 10× and 100× the corpus, plus peak memory.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TARGETS = { cold1x: 2000, p95at1x: 30, p95at100x: 100, memory100xMb: 1024 };
const scales = (process.env.BENCH_SCALES ?? '1,10,100').split(',').map(Number);

function coldStartMs(): { buildRunMs: number; coldMs: number } {
  // a real process start: `npm run cli -- ask` with an empty cache, then again with the cache
  const dataDir = mkdtempSync(join(tmpdir(), 'zhili-bench-cold-'));
  const env = { ...process.env, DATA_DIR: dataDir, OPENAI_API_KEY: '', TELEGRAM_BOT_TOKEN: '' };
  const run = (): number => {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ask', '北辰区的基层治理经验是什么?'], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    return performance.now() - started;
  };
  const buildRunMs = run();
  return { buildRunMs, coldMs: run() };
}

const rows: Array<Record<string, number>> = [];
for (const scale of scales) {
  process.stderr.write(`scale ${scale}× …\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/scale.ts', String(scale)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  rows.push(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>);
}
const cold = coldStartMs();

console.log('zhili-bot benchmark (extractive mode, local LSA vectors, this machine)\n');
console.log('scale  essays  chunks  build ms  cached load ms  first answer ms  ask p50 ms  ask p95 ms  peak RSS MB');
for (const r of rows) {
  console.log(
    `${String(r.scale).padStart(4)}×  ${String(r.essays).padStart(6)}  ${String(r.chunks).padStart(6)}  ${String(r.buildMs).padStart(8)}  ${String(r.cachedLoadMs).padStart(14)}  ${String(r.firstAnswerMs).padStart(15)}  ${String(r.p50).padStart(10)}  ${String(r.p95).padStart(10)}  ${String(r.peakRssMb).padStart(11)}`,
  );
}
console.log(`\ncold start to first answer (new process, cached index, 1×): ${Math.round(cold.coldMs)} ms (first run incl. build: ${Math.round(cold.buildRunMs)} ms)`);
const one = rows.find((r) => r.scale === 1);
const hundred = rows.find((r) => r.scale === 100);
const verdict = (ok: boolean): string => (ok ? '达标 ok' : '未达标 MISSED');
console.log('\ntargets:');
console.log(`  1× cold start ≤ ${TARGETS.cold1x} ms: ${verdict(cold.coldMs <= TARGETS.cold1x)}`);
if (one) console.log(`  1× p95 ≤ ${TARGETS.p95at1x} ms: ${verdict(one.p95 <= TARGETS.p95at1x)}`);
if (hundred) {
  console.log(`  100× p95 ≤ ${TARGETS.p95at100x} ms: ${verdict(hundred.p95 <= TARGETS.p95at100x)}`);
  console.log(`  100× memory ≤ ${TARGETS.memory100xMb} MB: ${verdict(hundred.peakRssMb <= TARGETS.memory100xMb)}`);
}
