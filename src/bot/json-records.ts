// Small keyed records in one JSON file under DATA_DIR, for one process: read once, kept in
// memory, written whole (temporary file, then rename) one write at a time. The daily reminders
// and the drill deadlines use it when there is no Redis.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';

export class JsonRecords<T> {
  private records?: Map<string, T>;
  private writing: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    readonly path: string,
    /** a stored value as a record, or undefined to leave it out */
    private readonly check: (value: unknown) => T | undefined,
    private readonly logger: Logger,
    /** the log event when the file cannot be read */
    private readonly unreadableEvent: string,
  ) {}

  async load(): Promise<Map<string, T>> {
    if (this.records) return this.records;
    const records = new Map<string, T>();
    try {
      const raw = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(raw)) {
        const record = this.check(value);
        if (record !== undefined) records.set(key, record);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn(this.unreadableEvent, { path: this.path, error });
    }
    this.records ??= records;
    return this.records;
  }

  /** One write at a time; changes made while one waits go out with it (a broadcast settles many). */
  save(): Promise<void> {
    if (this.queued) return this.writing;
    this.queued = true;
    const tmp = `${this.path}.${process.pid}.tmp`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        this.queued = false;
        const snapshot = JSON.stringify(Object.fromEntries(this.records ?? []));
        await mkdir(dirname(this.path), { recursive: true });
        await writeFile(tmp, snapshot, 'utf8');
        await rename(tmp, this.path);
      });
    return this.writing;
  }

  /** Waits for the write in progress, if any. */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
  }
}
