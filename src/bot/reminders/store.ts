// Where daily reminders live, outside the session (the scheduler never writes a session, so it
// cannot race an update): who wants one, at what local time, when it is next due, and which
// day's reminder was already sent. A file under DATA_DIR for one process; Redis for several
// (redis-store.ts), where every instance polls and a per-(user, day) claim lets one of them send.
import * as v from 'valibot';
import type { ReminderSetting } from '../../interview/reminders.ts';
import type { Logger } from '../../log.ts';
import { JsonRecords } from '../json-records.ts';

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
  private readonly file: JsonRecords<FileRecord>;
  private readonly leases = new Map<string, number>();

  constructor(
    readonly path: string,
    logger: Logger,
  ) {
    const check = (value: unknown): FileRecord | undefined => {
      const parsed = v.safeParse(RecordSchema, value);
      return parsed.success ? parsed.output : undefined;
    };
    this.file = new JsonRecords(path, check, logger, 'remind.store_unreadable');
  }

  private load(): Promise<Map<string, FileRecord>> {
    return this.file.load();
  }

  private save(): Promise<void> {
    return this.file.save();
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

  close(): Promise<void> {
    return this.file.close();
  }
}
