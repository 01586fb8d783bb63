// Webhook mode: a small HTTP server Telegram posts updates to. It checks the secret-token
// header, answers at once and handles the update in the background, so a long model call never
// runs into Telegram's webhook timeout. Each update is claimed once (in Redis when several
// instances share a load balancer), so a retried delivery is not handled twice.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';
import type { Logger } from '../log.ts';
import type { ZhiliBot } from './index.ts';
import { ALLOWED_UPDATES } from './polling.ts';
import { redisClient } from './redis-client.ts';

export interface UpdateDeduper {
  /** true the first time an update id is seen (by any instance sharing the store) */
  claim(updateId: number): Promise<boolean>;
  close?(): Promise<void>;
}

export class MemoryDeduper implements UpdateDeduper {
  private readonly seen = new Set<number>();
  private readonly order: number[] = [];

  constructor(private readonly capacity = 10_000) {}

  async claim(updateId: number): Promise<boolean> {
    if (this.seen.has(updateId)) return false;
    this.seen.add(updateId);
    this.order.push(updateId);
    if (this.order.length > this.capacity) this.seen.delete(this.order.shift() as number);
    return true;
  }
}

/** The part of an ioredis client used here. */
export interface RedisSetNx {
  set(key: string, value: string, ex: 'EX', seconds: number, nx: 'NX'): Promise<unknown>;
  quit(): Promise<unknown>;
}

export class RedisDeduper implements UpdateDeduper {
  constructor(
    private readonly client: RedisSetNx,
    private readonly prefix = 'zhili:update:',
    private readonly ttlSeconds = 24 * 3600,
  ) {}

  async claim(updateId: number): Promise<boolean> {
    return (await this.client.set(`${this.prefix}${updateId}`, '1', 'EX', this.ttlSeconds, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}

/**
 * One update of a chat at a time across instances. In one process grammY's sequentialize does
 * this; behind a load balancer two instances could otherwise read, change and write the same
 * session at once, and the last write would win.
 */
export interface ChatLock {
  run<T>(chat: string, task: () => Promise<T>): Promise<T>;
  close?(): Promise<void>;
}

/** The part of an ioredis client the lock uses. */
export interface RedisLockClient {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<unknown>;
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
  quit(): Promise<unknown>;
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class RedisChatLock implements ChatLock {
  private sequence = 0;

  constructor(
    private readonly client: RedisLockClient,
    private readonly logger: Logger,
    private readonly options = { holdMs: 120_000, waitMs: 60_000, pollMs: 25 },
    private readonly prefix = 'zhili:lock:chat:',
  ) {}

  async run<T>(chat: string, task: () => Promise<T>): Promise<T> {
    const key = this.prefix + chat;
    const token = `${process.pid}:${(this.sequence += 1)}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + this.options.waitMs;
    let held = false;
    try {
      while (!(held = (await this.client.set(key, token, 'PX', this.options.holdMs, 'NX')) === 'OK') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
      }
    } catch (error) {
      // no Redis, no lock: the update is still handled (ordering is best effort then)
      this.logger.warn('webhook.chat_lock_unavailable', { chat, error });
    }
    if (!held) this.logger.warn('webhook.chat_lock_timeout', { chat });
    try {
      return await task();
    } finally {
      if (held) await this.client.eval(RELEASE, 1, key, token).catch((error: unknown) => this.logger.debug('webhook.chat_lock_release_failed', { chat, error }));
    }
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}

/** The chat an update belongs to (a user for inline queries), for the lock. */
export function chatOf(update: Update): string | undefined {
  const id =
    update.message?.chat.id ??
    update.edited_message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.callback_query?.from.id ??
    update.inline_query?.from.id ??
    // the bot's own updates (a drill's time-up, see own-update.ts)
    update.chat_member?.chat.id;
  return id === undefined ? undefined : String(id);
}

export interface WebhookOptions {
  url: string;
  secret: string;
  port: number;
  host: string;
  deduper?: UpdateDeduper;
  logger: Logger;
  /** register the webhook with Telegram at start (off when another instance does it) */
  register?: boolean;
  /** how long claiming an update may take before the store counts as down */
  claimTimeoutMs?: number;
  /** one update per chat at a time across instances (Redis); undefined: this process only */
  chatLock?: ChatLock;
}

export interface WebhookServer {
  server: Server;
  /** the port actually bound (port 0 picks one) */
  port: number;
  /** stop accepting updates, let the ones in flight finish (at most drainMs), flush sessions */
  stop(drainMs?: number): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

export async function startWebhook(bot: ZhiliBot, options: WebhookOptions): Promise<WebhookServer> {
  const { logger } = options;
  const path = new URL(options.url).pathname || '/';
  const deduper: UpdateDeduper = options.deduper ?? new MemoryDeduper();
  await bot.init();
  if (options.register ?? true) {
    await bot.api.setWebhook(options.url, { secret_token: options.secret, allowed_updates: [...ALLOWED_UPDATES] });
    await bot.api.setMyCommands(bot.commands).catch((error: unknown) => logger.warn('bot.set_commands_failed', { error }));
  }
  let accepting = true;
  const inFlight = new Set<Promise<void>>();
  // one log line when the claim store (Redis) goes away, one when it is back
  let storeDown = false;

  /** 'new', 'duplicate', or 'unavailable' when the store cannot say (Telegram then retries later). */
  const claim = async (updateId: number): Promise<'new' | 'duplicate' | 'unavailable'> => {
    try {
      const first = await withTimeout(deduper.claim(updateId), options.claimTimeoutMs ?? 3000);
      if (storeDown) {
        storeDown = false;
        logger.info('webhook.claim_store_recovered');
      }
      return first ? 'new' : 'duplicate';
    } catch (error) {
      if (!storeDown) {
        storeDown = true;
        logger.error('webhook.claim_store_unavailable', { error, reply: 503 });
      }
      return 'unavailable';
    }
  };

  const handle = async (update: Update): Promise<void> => {
    try {
      const chat = chatOf(update);
      if (options.chatLock && chat !== undefined) await options.chatLock.run(chat, () => bot.handleUpdate(update));
      else await bot.handleUpdate(update);
    } catch (error) {
      logger.error('webhook.update_failed', { updateId: update.update_id, error });
    }
  };
  // the bot's own updates wait for the same chat lock as Telegram's
  bot.ownUpdateRunner = handle;

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/healthz') return send(response, 200, '{"ok":true}');
    if (request.method !== 'POST' || url.pathname !== path) return send(response, 404, '{"ok":false}');
    if (!secretMatches(request.headers['x-telegram-bot-api-secret-token'], options.secret)) {
      logger.warn('webhook.bad_secret', { from: request.socket.remoteAddress });
      return send(response, 401, '{"ok":false}');
    }
    if (!accepting) return send(response, 503, '{"ok":false}'); // Telegram retries later, elsewhere
    readBody(request).then(
      (body) => {
        let update: Update;
        try {
          update = JSON.parse(body) as Update;
          if (typeof update.update_id !== 'number') throw new Error('no update_id');
        } catch {
          return send(response, 400, '{"ok":false}');
        }
        // claimed before Telegram is answered: while the store is down the update is not
        // acknowledged, so Telegram delivers it again later instead of it being lost
        return claim(update.update_id).then((claimed) => {
          if (claimed === 'unavailable') return send(response, 503, '{"ok":false}');
          send(response, 200, '{"ok":true}');
          if (claimed === 'duplicate') {
            logger.info('webhook.duplicate_update', { updateId: update.update_id });
            return;
          }
          // the update is handled in the background, after Telegram has its answer
          const task = handle(update).finally(() => inFlight.delete(task));
          inFlight.add(task);
        });
      },
      () => send(response, 413, '{"ok":false}'),
    )
    .catch((error: unknown) => {
      logger.error('webhook.request_failed', { error });
      if (!response.headersSent) send(response, 500, '{"ok":false}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info('webhook.listening', { host: options.host, port, path });

  let stopping: Promise<void> | undefined;
  return {
    server,
    port,
    stop: (drainMs = 30_000) =>
      (stopping ??= (async () => {
        accepting = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          Promise.allSettled([...inFlight]).then(() => bot.whenIdle()).then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
        ]);
        clearTimeout(timer);
        if (!drained) logger.warn('webhook.stop_timeout', { updatesInFlight: bot.updatesInFlight });
        server.closeAllConnections();
        await closed;
        await bot.sessions.flush();
        await deduper.close?.();
        await options.chatLock?.close?.();
        logger.info('webhook.stopped');
      })()),
  };
}

/** A Redis lock per chat when REDIS_URL is set (several instances); none otherwise. */
export async function createChatLock(redisUrl: string | undefined, logger: Logger): Promise<ChatLock | undefined> {
  if (!redisUrl) return undefined;
  const client = await redisClient(redisUrl, logger, 'webhook.redis_error');
  return new RedisChatLock(client as unknown as RedisLockClient, logger);
}

/** Redis-backed when REDIS_URL is set (several instances), else in memory. */
export async function createDeduper(redisUrl: string | undefined, logger: Logger): Promise<UpdateDeduper> {
  if (!redisUrl) return new MemoryDeduper();
  const client = await redisClient(redisUrl, logger, 'webhook.redis_error');
  await client.connect();
  // ioredis types `set` as many overloads; the EX/NX form used here is one of them
  return new RedisDeduper(client as unknown as RedisSetNx);
}
