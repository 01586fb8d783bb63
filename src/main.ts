#!/usr/bin/env node
// `npm start`: the Telegram bot when TELEGRAM_BOT_TOKEN is set, else the terminal chat.
import { join } from 'node:path';
import { GrammyError } from 'grammy';
import { createApp } from './app.ts';
import { loadConfigOrExplain, secretsOf, type Config } from './config.ts';
import { createLogger, redact, type Logger } from './log.ts';
import { appBotDeps, createBot, createSessionStore, type SessionData, type ZhiliBot } from './bot/index.ts';
import { adminFeature } from './bot/features/admin.ts';
import { documentsFeature } from './bot/features/documents.ts';
import { createSharedLibrary } from './bot/shared-knowledge.ts';
import { LocalLibrary, type KnowledgeLibrary } from './knowledge/library.ts';
import { createChatLock, createDeduper, startWebhook } from './bot/webhook.ts';
import { startPolling } from './bot/polling.ts';
import { drillFeatureFor } from './bot/features/drill.ts';
import { practiceFeatures } from './bot/features/practice.ts';
import { createReminderStore } from './bot/reminders/redis-store.ts';
import { createDrillDeadlines } from './bot/drill-deadlines.ts';
import { ReminderScheduler } from './bot/reminders/scheduler.ts';
import { SessionStoreError } from './bot/session.ts';
import { initTelegram } from './bot/startup.ts';
import { createSharedLimits } from './bot/shared-limits.ts';

/** How updates arrive: long polling on one machine, or a webhook behind a load balancer. */
interface Transport {
  name: string;
  stop(): Promise<void>;
  /** resolves, with the reason, if the transport stops by itself (a crash); never rejects */
  crashed: Promise<unknown>;
}

async function startTransport(bot: ZhiliBot, config: Config, logger: Logger): Promise<Transport> {
  if (config.webhook) {
    const deduper = await createDeduper(config.redisUrl, logger);
    const chatLock = await createChatLock(config.redisUrl, logger);
    const server = await startWebhook(bot, { ...config.webhook, deduper, chatLock, logger });
    return { name: `webhook(端口 ${server.port})`, stop: () => server.stop(), crashed: new Promise(() => undefined) };
  }
  // fetched updates are journaled until handled, so a crash loses none (see bot/journal.ts)
  const polling = await startPolling(bot, logger, { journalDir: join(config.dataDir, 'journal') });
  const task = polling.runner.task();
  const crashed = task ? task.then((): unknown => new Error('polling stopped'), (error: unknown) => error) : new Promise(() => undefined);
  return { name: '长轮询', stop: () => polling.stop(), crashed };
}

async function runTelegram(config: Config, logger: Logger): Promise<number> {
  // with Redis, uploaded documents are shared by every instance (see bot/shared-knowledge.ts):
  // mirrored into knowledge/ before the first index is built
  const shared = config.redisUrl ? await createSharedLibrary(config.redisUrl, config.knowledgeDir, logger) : undefined;
  const library: KnowledgeLibrary = shared ?? new LocalLibrary(config.knowledgeDir);
  const app = await createApp(config, logger);
  await shared?.listen(() => app.reload()).catch((error: unknown) => logger.warn('knowledge.shared_listen_failed', { error }));
  for (const warning of app.index.warnings) logger.warn('knowledge.warning', { warning });
  // an instance started while Redis is down waits for it (a log line per try) instead of exiting
  const storage = await createSessionStore<SessionData>(config, logger, { attempts: Infinity });
  // the answers and reviews of past attempts, apart from the session (see bot/practice-record.ts)
  const practice = await createSessionStore<unknown>(config, logger, { attempts: Infinity, name: 'practice' });
  let transportName = '';
  // the admin feature reads the bot's queue depth, so it gets it through this late-bound getter
  let bot: ZhiliBot | undefined;
  const admin = adminFeature({
    app,
    queueDepth: () => bot?.updatesInFlight ?? 0,
    sessionsKind: () => (storage.kind === 'redis' ? 'Redis' : '文件'),
    transport: () => transportName,
    library,
  });
  // with Redis, every instance shares the per-user rate limit and daily model budget
  const limits = await createSharedLimits(config.redisUrl, { rate: config.rateLimit, dailyBudget: config.dailyLlmBudget }, logger);
  // daily reminders: every instance polls the same store (Redis) and one of them sends each
  const reminders = await createReminderStore(config, logger);
  // drafts due while no process counted them down (a restart) are submitted from here
  const deadlines = await createDrillDeadlines(config, logger);
  const drills = drillFeatureFor(app, logger, { sessions: storage, deadlines });
  bot = createBot({
    ...appBotDeps(app, logger, storage),
    practice,
    limits,
    features: [admin, drills, ...practiceFeatures(app, logger, { reminders })],
  });
  await initTelegram(bot, logger);
  const scheduler = new ReminderScheduler({ store: reminders, sessions: storage, api: bot.api, bank: app.bank ?? [], logger });
  scheduler.start();
  const transport = await startTransport(bot, config, logger);
  transportName = transport.name;
  void drills.resume();
  logger.info('app.ready', {
    mode: app.answerer.mode,
    transport: transport.name,
    essays: app.index.retriever.essays.length,
    chunks: app.index.retriever.chunks.length,
    indexFromCache: app.index.fromCache,
  });

  // no new updates; those in flight are answered, then every store is flushed and closed
  const stopAll = async (): Promise<void> => {
    drills.dispose();
    await transport.stop();
    await scheduler.stop();
    await reminders.close();
    await deadlines.close();
    await practice.close();
    await storage.close();
    await limits?.close();
    await library.close();
  };

  return new Promise<number>((resolve) => {
    let signals = 0;
    const shutdown = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) {
        logger.warn('app.forced_exit', { signal });
        process.exit(1);
      }
      logger.info('app.shutting_down', { signal });
      stopAll().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error('app.shutdown_failed', { error });
          resolve(1);
        },
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    void transport.crashed.then((reason) => {
      if (signals > 0) return;
      signals += 1;
      // 409: another process polls with this token (Telegram lets only one)
      const conflict = reason instanceof GrammyError && reason.error_code === 409;
      logger.error(conflict ? 'app.polling_conflict' : 'app.transport_stopped', {
        error: reason,
        hint: conflict ? '另一个进程正在用同一个令牌接收消息(409 Conflict):请先停掉它,或改用 webhook 模式。' : undefined,
      });
      // what is in flight finishes and sessions are flushed, as on SIGTERM
      stopAll()
        .catch((error: unknown) => logger.error('app.shutdown_failed', { error }))
        .finally(() => resolve(1));
    });
  });
}

async function main(): Promise<number> {
  const config = loadConfigOrExplain();
  if (!config) return 2;
  const secrets = secretsOf(config);
  if (!config.telegramToken) {
    // the terminal owns stdout; logs stay quiet unless LOG_LEVEL asks for more
    const logger = createLogger({ level: process.env.LOG_LEVEL ? config.logLevel : 'warn', secrets });
    const { runTerminalChat } = await import('./cli/chat.ts');
    return runTerminalChat(config, logger);
  }
  const logger = createLogger({ level: config.logLevel, secrets });
  // the last line of defence: a promise nobody awaited must not end the process for every user
  process.on('unhandledRejection', (reason: unknown) => logger.error('app.unhandled_rejection', { error: reason }));
  try {
    return await runTelegram(config, logger);
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 401) {
      console.error('Telegram 拒绝了这个 TELEGRAM_BOT_TOKEN(401 Unauthorized),请到 @BotFather 核对令牌。');
      return 2;
    }
    if (error instanceof SessionStoreError) {
      console.error(`无法连接 REDIS_URL 指定的 Redis:${redact(error.message, secrets)}`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => {
    // open sockets (keep-alive agents, Redis) must not keep a finished process alive
    process.exit(code);
  },
  (error: unknown) => {
    console.error(redact(`出错了:${error instanceof Error ? error.message : String(error)}`, []));
    process.exit(1);
  },
);
