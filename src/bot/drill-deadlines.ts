// When each drill draft is due to be submitted by itself (its answer time and grace over), kept
// outside the session so that a restarted bot finds them without reading every session. An
// entry exists while a drill on the clock has a draft open; it names the chat and the user, so
// the bot can make the same own update (own-update.ts) the in-process countdown makes.
//
// A JSON file under DATA_DIR for one process; with Redis, a sorted set of due times (member:
// the session key) and a hash of the entries, shared by every instance. A claim takes an entry
// out only if it is still the one read, so one instance submits it.
import { join } from 'node:path';
import * as v from 'valibot';
import type { Logger } from '../log.ts';
import { JsonRecords } from './json-records.ts';
import { fileOrRedis } from './redis-client.ts';

const DeadlineSchema = v.object({
  /** the session key */
  key: v.string(),
  chatId: v.number(),
  chatType: v.picklist(['private', 'group', 'supergroup', 'channel']),
  userId: v.number(),
  /** the drill and question the draft belongs to */
  startedAt: v.number(),
  index: v.number(),
  /** when the answer time and its grace are over (ms) */
  dueAt: v.number(),
});

export type DrillDeadline = v.InferOutput<typeof DeadlineSchema>;

function readDeadline(value: unknown): DrillDeadline | undefined {
  const parsed = v.safeParse(DeadlineSchema, value);
  return parsed.success ? parsed.output : undefined;
}

const sameEntry = (a: DrillDeadline, b: DrillDeadline): boolean =>
  a.key === b.key && a.startedAt === b.startedAt && a.index === b.index && a.dueAt === b.dueAt;

/** The entry as stored in Redis: its fields in one order, so a claim can compare the text. */
const encode = (e: DrillDeadline): string =>
  JSON.stringify({ key: e.key, chatId: e.chatId, chatType: e.chatType, userId: e.userId, startedAt: e.startedAt, index: e.index, dueAt: e.dueAt });

export interface DrillDeadlineStore {
  readonly kind: 'file' | 'redis';
  /** adds the entry, or replaces the one of its key */
  set(entry: DrillDeadline): Promise<void>;
  remove(key: string): Promise<void>;
  /** entries due at or before `now`, earliest first */
  due(now: number, limit: number): Promise<DrillDeadline[]>;
  /** takes the entry out if it is still this one; true for the one caller that did */
  claim(entry: DrillDeadline): Promise<boolean>;
  close(): Promise<void>;
}

/** The file under DATA_DIR, or Redis when REDIS_URL is set. */
export function createDrillDeadlines(config: { redisUrl?: string; dataDir: string }, logger: Logger): Promise<DrillDeadlineStore> {
  return fileOrRedis<DrillDeadlineStore>(config, logger, 'drill.deadlines_redis_error', {
    file: (dataDir) => new FileDrillDeadlines(join(dataDir, 'drill-deadlines.json'), logger),
    redis: (client) => new RedisDrillDeadlines(client as unknown as RedisDeadlineClient),
  });
}

export class FileDrillDeadlines implements DrillDeadlineStore {
  readonly kind = 'file';
  private readonly file: JsonRecords<DrillDeadline>;

  constructor(path: string, logger: Logger) {
    this.file = new JsonRecords(path, readDeadline, logger, 'drill.deadlines_unreadable');
  }

  async set(entry: DrillDeadline): Promise<void> {
    (await this.file.load()).set(entry.key, entry);
    await this.file.save();
  }

  async remove(key: string): Promise<void> {
    if ((await this.file.load()).delete(key)) await this.file.save();
  }

  async due(now: number, limit: number): Promise<DrillDeadline[]> {
    return [...(await this.file.load()).values()]
      .filter((e) => e.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
  }

  async claim(entry: DrillDeadline): Promise<boolean> {
    const records = await this.file.load();
    const stored = records.get(entry.key);
    if (!stored || !sameEntry(stored, entry)) return false;
    records.delete(entry.key);
    await this.file.save();
    return true;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/** The part of an ioredis client used here. */
export interface RedisDeadlineClient {
  zrangebyscore(key: string, min: string | number, max: string | number, limit: 'LIMIT', offset: number, count: number): Promise<string[]>;
  hmget(key: string, ...fields: string[]): Promise<Array<string | null>>;
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  disconnect(): void;
}

const SET = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`;

const REMOVE = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

// only the entry that was read: a newer one (the next question's draft) stays
const CLAIM = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

export class RedisDrillDeadlines implements DrillDeadlineStore {
  readonly kind = 'redis';

  constructor(
    private readonly client: RedisDeadlineClient,
    private readonly prefix = 'zhili:drill:',
  ) {}

  /** session key → the entry as JSON */
  get entries(): string {
    return `${this.prefix}deadline`;
  }
  /** session key, scored by its due time */
  get dueSet(): string {
    return `${this.prefix}due`;
  }

  async set(entry: DrillDeadline): Promise<void> {
    await this.client.eval(SET, 2, this.entries, this.dueSet, entry.key, encode(entry), entry.dueAt);
  }

  async remove(key: string): Promise<void> {
    await this.client.eval(REMOVE, 2, this.entries, this.dueSet, key);
  }

  async due(now: number, limit: number): Promise<DrillDeadline[]> {
    const keys = await this.client.zrangebyscore(this.dueSet, '-inf', now, 'LIMIT', 0, limit);
    if (keys.length === 0) return [];
    const texts = await this.client.hmget(this.entries, ...keys);
    return texts.flatMap((text) => {
      if (text === null) return [];
      try {
        const entry = readDeadline(JSON.parse(text));
        return entry ? [entry] : [];
      } catch {
        return [];
      }
    });
  }

  async claim(entry: DrillDeadline): Promise<boolean> {
    return (await this.client.eval(CLAIM, 2, this.entries, this.dueSet, entry.key, encode(entry))) === 1;
  }

  /** Every command was awaited by its caller; nothing is left to flush. */
  async close(): Promise<void> {
    this.client.disconnect();
  }
}
