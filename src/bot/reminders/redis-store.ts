// Reminders on Redis, for several instances: the settings as JSON per session key, the due
// times in one sorted set that every instance polls, and a claim per (user, local day) taken in
// a Lua script, so exactly one instance sends each day's reminder. A claim is a lease: an
// instance that dies before sending lets another one send after the lease runs out. Times come
// from the caller's clock (so tests can run on a fake one), not from Redis.
import { join } from 'node:path';
import type { Logger } from '../../log.ts';
import { fileOrRedis } from '../redis-client.ts';
import { redisCounter } from './pacer.ts';
import { FileReminderStore, readStoredReminder, type Claim, type ReminderStore, type StoredReminder } from './store.ts';

/** The part of an ioredis client used here. */
export interface RedisReminderClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  del(...keys: string[]): Promise<unknown>;
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zrem(key: string, member: string): Promise<unknown>;
  zscore(key: string, member: string): Promise<string | null>;
  zrangebyscore(key: string, min: string | number, max: string | number, limit: 'LIMIT', offset: number, count: number): Promise<string[]>;
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  disconnect(): void;
}

/** a sent slot is remembered for two days: long enough for any time zone's "today" */
const SLOT_SECONDS = 2 * 24 * 3600;

const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v == 'sent' then return 'sent' end
if v and tonumber(v) > tonumber(ARGV[1]) then return 'busy' end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ${SLOT_SECONDS})
return 'claimed'`;

// the due time moves on only while the reminder still exists (/remind off or a block may have removed it meanwhile)
const SETTLE = `
redis.call('SET', KEYS[1], 'sent', 'EX', ${SLOT_SECONDS})
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2]) end
return 1`;

const RETRY = `
if redis.call('GET', KEYS[1]) ~= 'sent' then redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2]) end
return 1`;

export class RedisReminderStore implements ReminderStore {
  readonly kind = 'redis';

  constructor(
    private readonly client: RedisReminderClient,
    private readonly prefix = 'zhili:remind:',
  ) {}

  private record(key: string): string {
    return `${this.prefix}r:${key}`;
  }
  private get dueSet(): string {
    return `${this.prefix}due`;
  }
  private slot(key: string, slot: string): string {
    return `${this.prefix}slot:${key}:${slot}`;
  }

  /** The setting, due when the sorted set says (settle and retry move only the score). */
  async get(key: string): Promise<StoredReminder | undefined> {
    const [text, score] = await Promise.all([this.client.get(this.record(key)), this.client.zscore(this.dueSet, key)]);
    if (text === null) return undefined;
    let stored: StoredReminder | undefined;
    try {
      stored = readStoredReminder(JSON.parse(text));
    } catch {
      return undefined;
    }
    return stored && score !== null ? { ...stored, nextAt: Number(score) } : stored;
  }

  async put(key: string, reminder: StoredReminder): Promise<void> {
    await this.client.set(this.record(key), JSON.stringify(reminder));
    await this.client.zadd(this.dueSet, reminder.nextAt, key);
  }

  async remove(key: string): Promise<void> {
    await this.client.del(this.record(key));
    await this.client.zrem(this.dueSet, key);
  }

  due(now: number, limit: number): Promise<string[]> {
    return this.client.zrangebyscore(this.dueSet, '-inf', now, 'LIMIT', 0, limit);
  }

  async claim(key: string, slot: string, now: number, leaseMs: number): Promise<Claim> {
    return (await this.client.eval(CLAIM, 1, this.slot(key, slot), now, now + leaseMs)) as Claim;
  }

  async settle(key: string, slot: string, nextAt: number): Promise<void> {
    await this.client.eval(SETTLE, 3, this.slot(key, slot), this.dueSet, this.record(key), nextAt, key);
  }

  async retry(key: string, slot: string, retryAt: number): Promise<void> {
    await this.client.eval(RETRY, 3, this.slot(key, slot), this.dueSet, this.record(key), retryAt, key);
  }

  sendCounter(): (second: number) => Promise<number> {
    return redisCounter(this.client, `${this.prefix}rate:`);
  }

  /** Every command was awaited by its caller; nothing is left to flush (and a Redis that is down must not hold up a shutdown). */
  async close(): Promise<void> {
    this.client.disconnect();
  }
}

export function createReminderStore(config: { redisUrl?: string; dataDir: string }, logger: Logger): Promise<ReminderStore> {
  return fileOrRedis<ReminderStore>(config, logger, 'remind.redis_error', {
    file: (dataDir) => new FileReminderStore(join(dataDir, 'reminders.json'), logger),
    redis: (client) => new RedisReminderStore(client as unknown as RedisReminderClient),
  });
}
