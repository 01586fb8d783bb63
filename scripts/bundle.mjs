// `npm run build`, after tsc: the entry points bundled with esbuild into dist/bundle/ (one file
// per entry and shared chunks; code imported only on demand stays in chunks of its own, loaded
// when it is first imported). A fresh process then reads and links a few files instead of some
// fifty modules; packages stay outside, loaded from node_modules as before. scripts/run.mjs runs
// the bundle when it is there; without esbuild (it comes with tsx) the build is just tsc's dist/.
// dist/bundle/ sits two folders below the project, as dist/<folder>/ does, so paths the code
// takes from its own location (prompts/, interview/, node_modules) are the same.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The entry points, as scripts/run.mjs names them, and their bundled file's name. */
export const BUNDLED = { main: 'main', 'cli/main': 'cli-main' };
export const bundledName = (entry) => BUNDLED[entry];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(root, 'dist', 'bundle');
  rmSync(out, { recursive: true, force: true });
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.warn('esbuild not found: dist/ is not bundled (scripts/run.mjs runs the modules as tsc wrote them)');
    process.exit(0);
  }
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(BUNDLED).map(([entry, name]) => [name, join(root, 'src', `${entry}.ts`)])),
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // the indexing code's hash (retrieval/source-files.ts) reads tsc's files in dist/retrieval/,
    // the same files an unbundled run hashes: both find the same cached index
    define: { ZHILI_BUNDLED_RETRIEVAL_DIR: JSON.stringify('../retrieval') },
    logLevel: 'warning',
  });
}
