// Where a build's peak memory is reached: the kernel's peak RSS at each progress step.
//   npx tsx bench/peak-build.ts <knowledgeDir> <dataDir>
import { buildIndex } from '../src/retrieval/build.ts';

const [knowledgeDir, dataDir] = process.argv.slice(2);
const peak = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
let last = 0;
let stage = -1;
const started = performance.now();
const built = await buildIndex({
  knowledgeDir,
  dataDir,
  chunking: { chunkSize: 500, chunkOverlap: 80 },
  lsaDimensions: 64,
  onProgress: (done, total) => {
    const now = peak();
    const third = Math.floor((done / total) * 3);
    if (now > last + 20 || third !== stage) {
      console.log(`${((performance.now() - started) / 1000).toFixed(1)} s  ${done}/${total}  peak ${now} MB  rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
      last = now;
      stage = third;
    }
  },
});
console.log(`done ${((performance.now() - started) / 1000).toFixed(1)} s  peak ${peak()} MB  chunks ${built.retriever.chunks.length}`);
