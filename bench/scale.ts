// One benchmark measurement in its own process, so time and memory figures are its own.
//   npx tsx bench/scale.ts <system|baseline> <build|serve|add> <knowledgeDir> <dataDir>  → one JSON line
// bench/child.ts also compiles this file into dist/bench/, run by plain node: then the product's
// modules are the compiled ones in dist/, as `npm start` runs them; through tsx, the sources.
// build: from nothing to a cached index on disk. serve: a fresh process with that cache, timed
// from the process's start to its first answer (a line `answered` then, for the parent's clock),
// then `ask` latency over the eval questions.
// add: one more document added to that cached index, as the bot does after an upload (the index
// in memory) and as `cli ingest` does in a new process (read from disk); the knowledge files are
// hard links in a folder of the child's own, so the shared corpus is not changed.
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extraDocument } from './corpus.ts';
import { FIRST_QUESTION, UNKNOWN_WORD_QUESTION, latencies, percentile, selfReport } from './measure.ts';

const [system, mode, knowledgeDir, dataDir] = process.argv.slice(2);
const compiled = import.meta.url.endsWith('.js');

/** A module of the product, e.g. code<typeof import('../src/retrieval/build.ts')>('retrieval/build'). */
function code<T>(module: string): Promise<T> {
  return import(new URL(compiled ? `../${module}.js` : `../src/${module}.ts`, import.meta.url).href) as Promise<T>;
}

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

/** Tells the parent, which times the child from its spawn, that the first answer is there. */
const answered = (): void => {
  process.stdout.write('answered\n');
};

async function questions(): Promise<string[]> {
  const { loadQuestions } = await code<typeof import('../src/eval/questions.ts')>('eval/questions');
  // with a few English questions, so the serving figures include the dictionary English reads on first use
  const english = loadQuestions('eval/dev4.jsonl').filter((q) => q.kind === 'english');
  return [...loadQuestions('eval/questions.jsonl'), ...english].map((q) => q.question);
}

/** The corpus as hard links in a new folder: files can be added there without touching the corpus. */
function linkedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zhili-bench-add-'));
  for (const name of readdirSync(knowledgeDir)) if (!name.startsWith('.')) linkSync(join(knowledgeDir, name), join(dir, name));
  return dir;
}

async function addSystem(): Promise<Record<string, unknown>> {
  const { buildIndex } = await code<typeof import('../src/retrieval/build.ts')>('retrieval/build');
  // what an addition imports (the loader, the text splitter) is imported first, as the baseline's
  // splitter is: the figures are the addition's own work
  await code<typeof import('../src/knowledge/load.ts')>('knowledge/load');
  await code<typeof import('../src/knowledge/sentence-splitter.ts')>('knowledge/sentence-splitter');
  const dir = linkedCopy();
  try {
    const options = { knowledgeDir: dir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 64 };
    // as `cli ingest` in a new process: nothing in memory, the index it adds to is read from disk
    const first = extraDocument(0);
    writeFileSync(join(dir, first.name), first.text);
    let started = performance.now();
    const fromDisk = await buildIndex(options);
    const addFromDiskMs = performance.now() - started;
    // as the running bot after an upload: the index it adds to is the one in memory
    const second = extraDocument(1);
    writeFileSync(join(dir, second.name), second.text);
    started = performance.now();
    const inMemory = await buildIndex(options);
    const addMs = performance.now() - started;
    // a small corpus takes a document past the fold-in limit: that addition is a full build
    const passages = (built: typeof inMemory): number => (built.incremental ? built.incremental.passages : -1);
    return { addMs: Math.round(addMs), addFromDiskMs: Math.round(addFromDiskMs), addedPassages: passages(inMemory), addedFromDiskPassages: passages(fromDisk) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** MiniSearch's own way: add the new chunks to the loaded index and save it again (what a cached baseline must do). */
async function addBaseline(): Promise<Record<string, unknown>> {
  const { default: MiniSearch } = await import('minisearch');
  const { bigramTokens } = await code<typeof import('../src/eval/baseline.ts')>('eval/baseline');
  const { parseEssayFile } = await code<typeof import('../src/knowledge/load.ts')>('knowledge/load');
  const { RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 500, chunkOverlap: 50 });
  const file = join(dataDir, 'baseline.json');
  const options = { fields: ['text'], tokenize: bigramTokens };
  const save = (index: InstanceType<typeof MiniSearch>, chunks: string[]): void => writeFileSync(file, JSON.stringify({ chunks, index: index.toJSON() }));
  const load = (): { chunks: string[]; index: InstanceType<typeof MiniSearch> } => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { chunks: string[]; index: Parameters<typeof MiniSearch.loadJS>[0] };
    return { chunks: json.chunks, index: MiniSearch.loadJS(json.index, options) };
  };
  const add = async (n: number, index: InstanceType<typeof MiniSearch>, chunks: string[]): Promise<void> => {
    const extra = extraDocument(n);
    for (const text of await splitter.splitText(parseEssayFile(extra.name, extra.text).text)) index.add({ id: chunks.push(text) - 1, text });
  };
  let started = performance.now();
  const loaded = load();
  await add(0, loaded.index, loaded.chunks);
  save(loaded.index, loaded.chunks);
  const addFromDiskMs = performance.now() - started;
  started = performance.now();
  await add(1, loaded.index, loaded.chunks);
  save(loaded.index, loaded.chunks);
  return { addMs: Math.round(performance.now() - started), addFromDiskMs: Math.round(addFromDiskMs) };
}

async function runSystem(): Promise<Record<string, unknown>> {
  if (mode === 'add') return addSystem();
  const { buildIndex } = await code<typeof import('../src/retrieval/build.ts')>('retrieval/build');
  const importedMs = performance.now();
  const options = { knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 64, onProgress: mode === 'build' ? progressBar() : undefined };
  const started = performance.now();
  const built = await buildIndex(options);
  const indexMs = performance.now() - started;
  if (mode === 'build') return { buildMs: Math.round(indexMs), chunks: built.retriever.chunks.length, essays: built.retriever.essays.length, fromCache: built.fromCache };
  if (!built.fromCache) throw new Error('serve: expected a cached index');
  const { Answerer } = await code<typeof import('../src/answer/answerer.ts')>('answer/answerer');
  const answererImportedMs = performance.now();
  const answerer = new Answerer({ retriever: built.retriever });
  await answerer.answer(FIRST_QUESTION);
  // performance.now() counts from the process's start: node, tsx, imports, index, first answer
  const firstAnswerMs = performance.now();
  answered();
  // a word the essays never use is looked up by its pinyin: the first such question builds the
  // sound-alike table (and loads pinyin-pro), work the first question above does not need
  const unknownStarted = performance.now();
  await answerer.answer(UNKNOWN_WORD_QUESTION);
  const unknownWordMs = Math.round(performance.now() - unknownStarted);
  const sorted = await latencies((q) => answerer.answer(q), await questions());
  const phases = { importMs: Math.round(importedMs), answererImportMs: Math.round(answererImportedMs - importedMs - indexMs), firstQueryMs: Math.round(firstAnswerMs - answererImportedMs), unknownWordMs };
  return { loadMs: Math.round(indexMs), firstAnswerMs: Math.round(firstAnswerMs), ...phases, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function runBaseline(): Promise<Record<string, unknown>> {
  if (mode === 'add') return addBaseline();
  const { BigramBaseline } = await code<typeof import('../src/eval/baseline.ts')>('eval/baseline');
  const file = join(dataDir, 'baseline.json');
  if (mode === 'build') {
    const started = performance.now();
    const { loadEssays } = await code<typeof import('../src/knowledge/load.ts')>('knowledge/load');
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
  answered();
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
