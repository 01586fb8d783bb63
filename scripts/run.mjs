// Runs an entry point of the bot (main, cli/main): the compiled JavaScript in dist/ when it is
// newer than every source file (npm ci builds it, via `prepare`), else the TypeScript sources
// through tsx. Compiled, a fresh process starts about 0.4 s sooner; an edited source is never
// run stale, it just runs through tsx until the next `npm run build`. Compiled, it runs the
// bundle of dist/bundle/ when the build made one (scripts/bundle.mjs), else tsc's modules.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledName } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of the files under `dir`, 0 when there are none. */
export function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when dist/ holds a build at least as new as every file in src/. */
export function compiledIsCurrent(base = root) {
  const stamp = join(base, 'dist', '.built');
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestChange(join(base, 'src'));
}

const entry = process.argv[2];
if (entry && process.argv[1] === fileURLToPath(import.meta.url)) {
  // the entry point reads its own arguments from argv[2] on, as when it is run directly
  process.argv.splice(2, 1);
  if (compiledIsCurrent()) {
    // the bundle (scripts/bundle.mjs) when the build made one: fewer files to find, read and link
    const bundled = bundledName(entry) && join(root, 'dist', 'bundle', `${bundledName(entry)}.js`);
    await import(pathToFileURL(bundled && existsSync(bundled) ? bundled : join(root, 'dist', `${entry}.js`)).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(join(root, 'src', `${entry}.ts`)).href);
  }
}
