// Old index caches are removed once a new one is written: every build or addition writes a new
// folder under DATA_DIR/index (named by the files' and code's key), and nothing else ever deletes one.
//
// What stays:
// - the folder just written, and the one this process's index was loaded from or built into
//   (the index in use until the app swaps to the new one);
// - any folder changed within PRUNE_GRACE_MS: another process sharing the data directory may
//   have just written it, or be writing it (a `.tmp-` folder), or be about to read it.
// Removing a folder another process loaded earlier is safe: a loaded index is all in memory, and
// an addition that finds its base folder gone grows from another one or builds everything again.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../log.ts';

export const PRUNE_GRACE_MS = 10 * 60 * 1000;

/** Removes the cache folders under `dataDir`/index but those in `keep` and recent ones; returns the names removed. */
export function pruneIndexCaches(dataDir: string, keep: Array<string | undefined>, logger: Logger, now = Date.now()): string[] {
  const root = join(dataDir, 'index');
  const kept = new Set(keep.filter((dir): dir is string => dir !== undefined).map((dir) => resolve(dir)));
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    // files beside the folders (the stat cache) are not caches
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    if (kept.has(resolve(dir))) continue;
    try {
      if (now - statSync(dir).mtimeMs < PRUNE_GRACE_MS) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(entry.name);
    } catch (error) {
      logger.warn('index.prune_failed', { dir, error });
    }
  }
  if (removed.length > 0) logger.info('index.pruned', { removed });
  return removed;
}
