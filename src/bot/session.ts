// Persistent session storage: JSON files under the data directory by default (atomic writes,
// so a crash or restart never leaves half a file), Redis when REDIS_URL is set.
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageAdapter } from 'grammy';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { redisClient } from './redis-client.ts';
import { retrying } from './retry.ts';

export interface SessionStore<T> extends StorageAdapter<T> {
  readonly kind: 'file' | 'redis' | 'memory';
  /** resolves when every write issued so far is on disk / acknowledged */
  flush(): Promise<void>;
  /** flushes and releases connections */
  close(): Promise<void>;
}

/** Keys become file names: URI-encoded (":" of group keys → %3A), dots too, so no key escapes the folder. */
export function fileNameFor(key: string): string {
  return `${encodeURIComponent(key).replace(/[.!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}.json`;
}

export class FileSessionStore<T> implements SessionStore<T> {
  readonly kind = 'file';
  /** per key: the chain of pending writes, so two writes of one key never race */
  private readonly pending = new Map<string, Promise<void>>();
  private sequence = 0;
  private ready?: Promise<void>;

  constructor(
    readonly dir: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  private path(key: string): string {
    return join(this.dir, fileNameFor(key));
  }

  async read(key: string): Promise<T | undefined> {
    await this.pending.get(key);
    let text: string;
    try {
      text = await readFile(this.path(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      // a corrupt file must not lock the user out: keep it aside for inspection, start afresh
      const aside = `${this.path(key)}.corrupt-${Date.now()}`;
      await rename(this.path(key), aside).catch(() => undefined);
      this.logger.warn('session.corrupt', { key, movedTo: aside });
      return undefined;
    }
  }

  write(key: string, value: T): Promise<void> {
    return this.enqueue(key, async () => {
      await this.ensureDir();
      const target = this.path(key);
      const tmp = `${target}.${process.pid}.${(this.sequence += 1)}.tmp`;
      // write, fsync, then rename: a crash leaves either the old file or the new one, never half
      const handle = await open(tmp, 'w');
      try {
        try {
          await handle.writeFile(JSON.stringify(value), 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, target);
      } catch (error) {
        // a full disk must not leave half-written temporary files behind
        await unlink(tmp).catch(() => undefined);
        throw error;
      }
    });
  }

  delete(key: string): Promise<void> {
    return this.enqueue(key, async () => {
      try {
        await unlink(this.path(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    });
  }

  async *readAllKeys(): AsyncIterable<string> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.endsWith('.json')) yield decodeURIComponent(name.slice(0, -'.json'.length));
    }
  }

  private enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.pending.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.pending.set(key, next);
    const cleanup = (): void => {
      if (this.pending.get(key) === next) this.pending.delete(key);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

export class MemorySessionStore<T> implements SessionStore<T> {
  readonly kind = 'memory';
  readonly data = new Map<string, string>();
  read(key: string): T | undefined {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  write(key: string, value: T): void {
    this.data.set(key, JSON.stringify(value));
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

/** The part of an ioredis client we use (tests pass a fake). */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  quit(): Promise<unknown>;
}

export class RedisSessionStore<T> implements SessionStore<T> {
  readonly kind = 'redis';
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly client: RedisLike,
    private readonly prefix = 'zhili:session:',
    /** sessions of people who never come back expire */
    private readonly ttlSeconds = 180 * 24 * 3600,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const text = await this.client.get(this.prefix + key);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  write(key: string, value: T): Promise<void> {
    return this.track(this.client.set(this.prefix + key, JSON.stringify(value), 'EX', this.ttlSeconds));
  }

  delete(key: string): Promise<void> {
    return this.track(this.client.del(this.prefix + key));
  }

  private async track(operation: Promise<unknown>): Promise<void> {
    this.inFlight.add(operation);
    try {
      await operation;
    } finally {
      this.inFlight.delete(operation);
    }
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.client.quit();
  }
}

export class SessionStoreError extends Error {}

export interface ConnectOptions {
  /** tries before giving up (Infinity: wait for Redis as long as it takes) */
  attempts?: number;
  /** waits before the next try (tests pass their own, to act in between) */
  wait?: (ms: number, attempt: number) => Promise<void>;
  /** which store: the sessions (default) or the practice records (see practice-record.ts) */
  name?: 'sessions' | 'practice';
}

/** Where each store lives: a folder under DATA_DIR, or a key prefix in Redis. */
const PLACES = {
  sessions: { dir: 'sessions', prefix: 'zhili:session:' },
  practice: { dir: 'practice', prefix: 'zhili:practice:' },
} as const;

const RETRY_START_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * File store under `${dataDir}/sessions`, or Redis when REDIS_URL is set. A Redis that is down at
 * start is waited for, with a log line per try, so an instance started during an outage comes up
 * when Redis does.
 */
export async function createSessionStore<T>(config: Config, logger: Logger, options: ConnectOptions = {}): Promise<SessionStore<T>> {
  const url = config.redisUrl;
  const place = PLACES[options.name ?? 'sessions'];
  if (!url) return new FileSessionStore<T>(join(config.dataDir, place.dir), logger);
  const connect = async (attempt: number): Promise<SessionStore<T>> => {
    const client = await redisClient(url, logger, 'session.redis_error');
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw error;
    }
    logger.info('session.redis_connected', { attempt });
    return new RedisSessionStore<T>(client, place.prefix);
  };
  try {
    return await retrying(connect, {
      attempts: options.attempts ?? 1,
      firstWaitMs: RETRY_START_MS,
      longestWaitMs: RETRY_MAX_MS,
      wait: options.wait,
      onRetry: (attempt, ms, error) => logger.warn('session.redis_waiting', { attempt, retryInSeconds: ms / 1000, error: messageOf(error) }),
    });
  } catch (error) {
    throw new SessionStoreError(`cannot connect to REDIS_URL: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
