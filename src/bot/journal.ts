// A durable journal of the updates long polling has fetched. The runner confirms updates to
// Telegram as soon as it fetches the next batch, so a crash (SIGKILL, OOM, power) would lose
// every update being handled or waiting. Each fetched update is written to DATA_DIR/journal
// before the runner sees it and removed once handled (session saved); at start the ones left
// are handled first. A high-water mark (the last fetched id) keeps Telegram's redelivery of
// updates not yet confirmed from being handled a second time.
import { mkdirSync, openSync, closeSync, writeSync, fsyncSync, renameSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../log.ts';

const MARK = 'last-fetched';

export class UpdateJournal {
  /** updates with an id up to this were fetched before (by this or an earlier process) */
  private lastFetched = -1;
  private broken = false;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {
    try {
      mkdirSync(dir, { recursive: true });
      const mark = Number(readFileSync(join(dir, MARK), 'utf8'));
      if (Number.isInteger(mark)) this.lastFetched = mark;
    } catch {
      // no mark yet, or an unwritable DATA_DIR (reported on the first write)
    }
  }

  /** Updates fetched but not handled when the last process stopped, oldest first. */
  pending(): Update[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => /^\d+\.json$/.test(name));
    } catch {
      return [];
    }
    const updates: Update[] = [];
    for (const name of names.sort((a, b) => parseInt(a, 10) - parseInt(b, 10))) {
      try {
        updates.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as Update);
      } catch (error) {
        this.logger.warn('journal.unreadable', { file: name, error });
        this.remove(parseInt(name, 10));
      }
    }
    return updates;
  }

  /** Drops updates fetched before (Telegram redelivers what it has not seen confirmed); journals the rest. */
  record(updates: Update[]): Update[] {
    const fresh = updates.filter((update) => update.update_id > this.lastFetched);
    if (fresh.length === 0) return fresh;
    if (!this.broken) {
      try {
        for (const update of fresh) writeDurably(join(this.dir, `${update.update_id}.json`), JSON.stringify(update));
        writeDurably(join(this.dir, MARK), String(fresh[fresh.length - 1].update_id));
      } catch (error) {
        // without a journal the bot still answers; a crash may then lose what is in flight
        this.broken = true;
        this.logger.error('journal.write_failed', { dir: this.dir, error });
      }
    }
    this.lastFetched = Math.max(this.lastFetched, ...fresh.map((update) => update.update_id));
    return fresh;
  }

  /** The update is handled: it is not replayed after a restart. */
  done(updateId: number): void {
    if (!this.broken) this.remove(updateId);
  }

  private remove(updateId: number): void {
    try {
      unlinkSync(join(this.dir, `${updateId}.json`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn('journal.remove_failed', { updateId, error });
    }
  }

  /** An API transformer: every getUpdates result is journaled before the runner gets it. */
  transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      let result = await prev(method, payload, signal);
      if (method !== 'getUpdates') return result;
      for (;;) {
        if (!result.ok) return result;
        const updates = result.result as Update[];
        const fresh = this.record(updates);
        if (fresh.length > 0 || updates.length === 0) return { ...result, result: fresh } as typeof result;
        // only redeliveries of updates fetched before: confirm them, or the runner (whose offset
        // comes from what it is given) would be handed the same batch again and again
        const offset = Math.max(...updates.map((update) => update.update_id)) + 1;
        result = await prev(method, { ...payload, offset } as typeof payload, signal);
      }
    };
  }
}

/** write to a temporary file, fsync, rename: the file is either whole or absent */
function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
