// The one way this app makes an ioredis client: loaded only when REDIS_URL asks for it (so
// file-based installs never touch it), connecting on first use, a command failing after two
// reconnection tries instead of waiting forever, and errors logged rather than thrown.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

export async function redisClient(url: string, logger: Logger, errorEvent: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  client.on('error', (error: Error) => logger.warn(errorEvent, { error }));
  return client;
}

/** A store for one process in a file under DATA_DIR, or for several in Redis when REDIS_URL is set. */
export async function fileOrRedis<S>(
  config: { redisUrl?: string; dataDir: string },
  logger: Logger,
  errorEvent: string,
  make: { file: (dataDir: string) => S; redis: (client: Redis) => S },
): Promise<S> {
  if (!config.redisUrl) return make.file(config.dataDir);
  return make.redis(await redisClient(config.redisUrl, logger, errorEvent));
}
