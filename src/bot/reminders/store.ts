// Where daily reminders live, outside the session (the scheduler never writes a session, so it
// cannot race an update): who wants one, at what local time, when it is next due, and which
// day's reminder was already sent. A file under DATA_DIR for one process; Redis for several
// (redis-store.ts), where every instance polls and a per-(user, day) claim lets one of them send.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import type { ReminderSetting } from '../../interview/reminders.ts';
import type { Logger } from '../../log.ts';

export interface StoredReminder extends ReminderSetting {
  /** when it is next due (ms) */
  nextAt: number;
}

/** claimed: this caller sends; sent: that day's reminder went out already; busy: another instance is sending it. */
export type Claim = 'claimed' | 'sent' | 'busy';

export interface ReminderStore {
  readonly kind: 'file' | 'redis';
  get(key: string): Promise<StoredReminder | undefined>;
  put(key: string, reminder: StoredReminder): Promise<void>;
  remove(key: string): Promise<void>;
  /** session keys whose reminder is due at `now`, earliest first */
  due(now: number, limit: number): Promise<string[]>;
  /** the right to send `slot` (a local day) for `key`, held until `now + leaseMs` unless settled */
  claim(key: string, slot: string, now: number, leaseMs: number): Promise<Claim>;
  /** the slot is done (sent or skipped for good); the reminder is next due at `nextAt` (unless removed meanwhile) */
  settle(key: string, slot: string, nextAt: number): Promise<void>;
  /** the slot was not sent (a transient failure): tried again at `retryAt` */
  retry(key: string, slot: string, retryAt: number): Promise<void>;
  /** the broadcast tally shared by every instance using this store (none: this process counts alone) */
  sendCounter?(): (second: number) => Promise<number>;
  close(): Promise<void>;
}

const RecordSchema = v.object({
  chatId: v.number(),
  minutes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1439)),
  timeZone: v.string(),
  nextAt: v.number(),
  sentSlot: v.optional(v.string()),
});
type FileRecord = v.InferOutput<typeof RecordSchema>;

export function readStoredReminder(value: unknown): StoredReminder | undefined {
  const parsed = v.safeParse(RecordSchema, value);
  if (!parsed.success) return undefined;
  const { sentSlot: _sent, ...reminder } = parsed.output;
  return reminder;
}

/** One process: the reminders in one JSON file (atomic writes); claims in memory. */
export class FileReminderStore implements ReminderStore {
  readonly kind = 'file';
  private records?: Map<string, FileRecord>;
  private readonly leases = new Map<string, number>();
  private writing: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  private async load(): Promise<Map<string, FileRecord>> {
    if (this.records) return this.records;
    const records = new Map<string, FileRecord>();
    try {
      const raw = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(raw)) {
        const parsed = v.safeParse(RecordSchema, value);
        if (parsed.success) records.set(key, parsed.output);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn('remind.store_unreadable', { path: this.path, error });
    }
    this.records ??= records;
    return this.records;
  }

  /** One write at a time; changes made while one waits go out with it (a broadcast settles many). */
  private save(): Promise<void> {
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

  async get(key: string): Promise<StoredReminder | undefined> {
    return readStoredReminder((await this.load()).get(key));
  }

  async put(key: string, reminder: StoredReminder): Promise<void> {
    const records = await this.load();
    records.set(key, { ...reminder, ...(records.get(key)?.sentSlot ? { sentSlot: records.get(key)?.sentSlot } : {}) });
    await this.save();
  }

  async remove(key: string): Promise<void> {
    const records = await this.load();
    if (!records.delete(key)) return;
    await this.save();
  }

  async due(now: number, limit: number): Promise<string[]> {
    const records = await this.load();
    return [...records.entries()]
      .filter(([, r]) => r.nextAt <= now)
      .sort((a, b) => a[1].nextAt - b[1].nextAt)
      .slice(0, limit)
      .map(([key]) => key);
  }

  async claim(key: string, slot: string, now: number, leaseMs: number): Promise<Claim> {
    const record = (await this.load()).get(key);
    if (record?.sentSlot === slot) return 'sent';
    const lease = this.leases.get(`${key}|${slot}`);
    if (lease !== undefined && lease > now) return 'busy';
    this.leases.set(`${key}|${slot}`, now + leaseMs);
    return 'claimed';
  }

  settle(key: string, slot: string, nextAt: number): Promise<void> {
    return this.release(key, slot, { nextAt, sentSlot: slot });
  }

  retry(key: string, slot: string, retryAt: number): Promise<void> {
    return this.release(key, slot, { nextAt: retryAt });
  }

  /** Gives up the slot's lease and updates the reminder (if it is still there). */
  private async release(key: string, slot: string, change: { nextAt: number; sentSlot?: string }): Promise<void> {
    this.leases.delete(`${key}|${slot}`);
    const records = await this.load();
    const record = records.get(key);
    if (!record) return;
    records.set(key, { ...record, ...change });
    await this.save();
  }

  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
  }
}
