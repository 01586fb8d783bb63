// A real redis-server on loopback for the tests that need one (installed by .ci/run in CI).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
/** In CI Redis tests always run (and fail loudly if redis-server is missing). */
export const runRedisTests = hasRedisServer || process.env.CI === 'true';
if (!runRedisTests) console.warn('注意:未安装 redis-server,跳过 Redis 测试(apt-get install redis-server 后即可运行)。');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server on loopback (on `port` when given: a restart after an outage). */
export async function startRedisServer(port?: number): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const { Redis } = await import('ioredis');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.quit();
      const stop = (): Promise<void> =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill();
        });
      return { url: `redis://127.0.0.1:${port}`, port, stop };
    } catch {
      probe.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error('redis-server did not start');
}
