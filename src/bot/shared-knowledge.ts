// Documents shared by every instance (webhook + Redis). Why Redis and not a shared directory:
// Redis is already what makes several instances work (sessions, locks, limits), while a
// directory every host can write (NFS, a shared volume) is one more thing to provide. So:
//   zhili:kb:files    hash  file name → file bytes (uploaded documents; ≤ 20 MB each)
//   zhili:kb:sha256   hash  file name → SHA-256 of its bytes (a sync fetches only what differs)
//   zhili:kb:removed  set   names removed by an admin (shipped essays included)
//   zhili:kb:changed  pub/sub: "rebuild", with the sending instance's id
// Each instance mirrors the hash into its own knowledge directory (at start-up and on every
// message), then rebuilds its index; the old index answers until the new one is swapped in.
import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { KnowledgeLibrary } from '../knowledge/library.ts';
import { removeDocument, safeDocumentName, storeDocument, type StoreOutcome } from '../knowledge/store.ts';
import type { Logger } from '../log.ts';
import { redisClient } from './redis-client.ts';

const FILES = 'zhili:kb:files';
const HASHES = 'zhili:kb:sha256';
const REMOVED = 'zhili:kb:removed';
const CHANNEL = 'zhili:kb:changed';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class SharedLibrary implements KnowledgeLibrary {
  readonly instanceId = randomUUID();
  private onChange?: () => Promise<unknown>;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {}

  /** Writes the shared documents into the local directory and deletes the removed ones. */
  async sync(): Promise<{ written: string[]; removed: string[] }> {
    const written: string[] = [];
    const removed: string[] = [];
    // hashes first: the bytes of a document this instance already has are never fetched
    const hashes = await this.redis.hgetall(HASHES);
    for (const [name, hash] of Object.entries(hashes)) {
      // a name in Redis was made safe when stored; checked again, as anything read from outside
      if (safeDocumentName(name) !== name) continue;
      const path = join(this.dir, name);
      const current = await readFile(path).catch(() => undefined);
      if (current && sha256(current) === hash) continue;
      const bytes = await this.redis.hgetBuffer(FILES, name);
      if (!bytes || sha256(bytes) !== hash) continue;
      const tmp = join(this.dir, `.incoming-${process.pid}-${randomUUID()}`);
      await writeFile(tmp, bytes);
      await rename(tmp, path);
      written.push(name);
    }
    for (const name of await this.redis.smembers(REMOVED)) {
      if (hashes[name] === undefined && (await removeDocument(this.dir, name))) removed.push(name);
    }
    return { written, removed };
  }

  async add(name: string, bytes: Buffer): Promise<StoreOutcome> {
    const outcome = await storeDocument(this.dir, name, bytes);
    try {
      await this.redis.multi().hset(FILES, outcome.name, bytes).hset(HASHES, outcome.name, sha256(bytes)).srem(REMOVED, outcome.name).exec();
    } catch (error) {
      // not shared means not added: no instance may answer from a document the others lack
      if (outcome.status !== 'unchanged') await removeDocument(this.dir, outcome.name);
      throw error;
    }
    return outcome;
  }

  async remove(name: string): Promise<boolean> {
    // shared state first: if Redis fails, nothing was removed anywhere
    await this.redis.multi().hdel(FILES, name).hdel(HASHES, name).sadd(REMOVED, name).exec();
    return removeDocument(this.dir, name);
  }

  async announce(): Promise<void> {
    await this.redis.publish(CHANNEL, JSON.stringify({ origin: this.instanceId }));
  }

  /** Rebuilds through `rebuild` whenever another instance announces a change. */
  async listen(rebuild: () => Promise<unknown>): Promise<void> {
    this.onChange = rebuild;
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      let origin: unknown;
      try {
        origin = (JSON.parse(message) as { origin?: unknown }).origin;
      } catch {
        return;
      }
      if (origin === this.instanceId) return;
      // one after another: two quick changes never rebuild from a half-synced directory
      this.chain = this.chain.then(() => this.applyChange());
    });
    await this.subscriber.subscribe(CHANNEL);
  }

  private async applyChange(): Promise<void> {
    try {
      const { written, removed } = await this.sync();
      await this.onChange?.();
      this.logger.info('knowledge.shared_change_applied', { written: written.length, removed: removed.length });
    } catch (error) {
      this.logger.error('knowledge.shared_change_failed', { error });
    }
  }

  async close(): Promise<void> {
    await this.chain;
    await this.subscriber.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }
}

/** The shared library for REDIS_URL, mirrored into `dir` once before the first index is built. */
export async function createSharedLibrary(redisUrl: string, dir: string, logger: Logger): Promise<SharedLibrary> {
  const redis = await redisClient(redisUrl, logger, 'knowledge.redis_error');
  const subscriber = await redisClient(redisUrl, logger, 'knowledge.redis_error');
  const library = new SharedLibrary(dir, redis, subscriber, logger);
  try {
    const { written, removed } = await library.sync();
    if (written.length + removed.length > 0) logger.info('knowledge.shared_synced', { written: written.length, removed: removed.length });
  } catch (error) {
    // Redis down at start-up: the local files answer; the next change message syncs again
    logger.warn('knowledge.shared_sync_failed', { error });
  }
  return library;
}
