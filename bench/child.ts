// How the benchmark runs its measurements: each in a fresh process, timed by this (the parent)
// from the child's spawn. Compiled: dist/ built first when it is older than a source (as
// scripts/run.mjs decides), and bench/scale.ts transpiled into dist/bench/ so that plain node
// runs it against the compiled modules, as `npm start` runs the bot. Through tsx: the sources.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { compiledIsCurrent } from '../scripts/run.mjs';

export type Figures = Record<string, number>;
export type Code = 'compiled' | 'tsx';

const CHILD_FILES = ['scale', 'measure', 'corpus'];

/** Builds dist/ when it is stale and puts the benchmark's child beside it; returns whether it built. */
export function prepareCompiled(): boolean {
  let built = false;
  if (!compiledIsCurrent()) {
    process.stderr.write('dist/ is older than src/: npm run build …\n');
    const result = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
    if (result.status !== 0 || !compiledIsCurrent()) throw new Error('npm run build failed: the compiled start cannot be measured');
    built = true;
  }
  mkdirSync(join('dist', 'bench'), { recursive: true });
  for (const name of CHILD_FILES) {
    const { outputText } = ts.transpileModule(readFileSync(join('bench', `${name}.ts`), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, rewriteRelativeImportExtensions: true },
      fileName: `${name}.ts`,
    });
    writeFileSync(join('dist', 'bench', `${name}.js`), outputText);
  }
  return built;
}

interface Timed {
  /** the child's last stdout line, parsed */
  figures: Figures;
  /** from spawn to the child's first stdout output (the `answered` line, or the CLI's answer) */
  firstOutputMs: number;
  stdout: string;
}

/** Runs `node <args>`, timing its first output from the spawn; stderr shows (the build's progress bar). */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs = NaN;
    let stdout = '';
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      if (Number.isNaN(firstOutputMs)) firstOutputMs = performance.now() - started;
      stdout += data;
    });
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`node ${args.join(' ')} failed (${status})`));
      const last = stdout.trim().split('\n').pop() ?? '';
      let figures: Figures = {};
      try {
        figures = JSON.parse(last) as Figures;
      } catch {
        // the CLI prints an answer, not figures
      }
      resolve({ figures, firstOutputMs, stdout });
    });
  });
}

/** One bench/scale.ts measurement; a serve run adds `fromSpawnMs`, the first answer on the parent's clock. */
export async function child(code: Code, system: 'system' | 'baseline', mode: string, knowledgeDir: string, dataDir: string): Promise<Figures> {
  const script = code === 'compiled' ? [join('dist', 'bench', 'scale.js')] : ['--import', 'tsx', join('bench', 'scale.ts')];
  const run = await timed([...script, system, mode, knowledgeDir, dataDir]);
  return mode === 'serve' ? { ...run.figures, fromSpawnMs: Math.round(run.firstOutputMs) } : run.figures;
}

/**
 * What a user runs: `npm run cli -- ask <question>` (node scripts/run.mjs cli/main ask …, the
 * compiled build when it is current) on the cached index, timed from the spawn to the answer on stdout.
 */
export async function cliAsk(question: string, knowledgeDir: string, dataDir: string): Promise<Figures> {
  // set but empty, so a .env file cannot bring in a model, a bot token or other settings
  const env: NodeJS.ProcessEnv = { ...process.env, KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: dataDir, OPENAI_API_KEY: '', TELEGRAM_BOT_TOKEN: '', LOG_LEVEL: '' };
  for (const name of ['CHUNK_SIZE', 'CHUNK_OVERLAP', 'LSA_DIMENSIONS', 'RETRIEVAL_TOP_K', 'REDIS_URL']) env[name] = '';
  const caches = (): number => (existsSync(join(dataDir, 'index')) ? readdirSync(join(dataDir, 'index')).length : 0);
  const before = caches();
  const run = await timed([join('scripts', 'run.mjs'), 'cli/main', 'ask', question], env);
  if (!run.stdout.includes('出处')) throw new Error(`cli ask gave no cited answer: ${run.stdout.slice(0, 200)}`);
  // a new cache folder means the CLI did not find the benchmark's cache and built its own
  if (caches() !== before) throw new Error('cli ask built an index instead of loading the cached one');
  return { cliFirstAnswerMs: Math.round(run.firstOutputMs) };
}
