// Shared set-up for the bot tests: explicit configs (never .env), a temporary DATA_DIR, the real
// knowledge/ folder, and the production start-up path (startPolling) against the fake Bot API.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/log.ts';
import { createBot, type BotDeps, type BotFeature, type ZhiliBot } from '../../src/bot/index.ts';
import { startPolling, type PollingHandle } from '../../src/bot/polling.ts';
import { terminalBotInfo } from '../../src/bot/terminal.ts';
import type { ApiCall, FakeTelegram } from '../helpers/fake-telegram.js';
import { captureLogger } from '../helpers/log-capture.ts';

export const KNOWLEDGE_DIR = resolve('knowledge');
/** BotFather-shaped (the config validates it); the fake accepts any token */
export const BOT_TOKEN = '123456789:TEST-zhili-token-for-bot-tests';

export async function tempDir(prefix = 'zhili-bot-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function testConfig(env: Record<string, string | undefined>): Config {
  // scenario tests send many messages quickly: a generous rate limit unless a test sets its own
  return parseConfig({ KNOWLEDGE_DIR, TELEGRAM_BOT_TOKEN: BOT_TOKEN, RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '10000', ...env });
}

/** An app on a fresh DATA_DIR for the tests of one file (or describe block): built before them, its directory removed after. */
export function appForTests(env: Record<string, string | undefined> = {}): () => App {
  let app: App | undefined;
  let data: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    data = await tempDir();
    app = await buildApp(testConfig({ DATA_DIR: data.path, ...env }));
  });
  afterAll(async () => {
    await data?.remove();
  });
  return () => {
    if (!app) throw new Error('the app is built in beforeAll');
    return app;
  };
}

export async function buildApp(config: Config, logger: Logger = captureLogger(config)): Promise<App> {
  return createApp(config, logger);
}

export interface RunningBot {
  bot: ZhiliBot;
  polling: PollingHandle;
  stop: () => Promise<void>;
}

/** createBot + startPolling, exactly as src/main.ts does (apiRoot comes from config). */
export async function startBot(app: App, overrides: Partial<BotDeps> = {}): Promise<RunningBot> {
  const bot = createBot({
    config: app.config,
    answerer: app.answerer,
    retriever: app.index.retriever,
    chat: app.chat,
    logger: captureLogger(app.config),
    options: { maxRetryAttempts: 2, maxRetryDelaySeconds: 3 },
    ...overrides,
  });
  const polling = await startPolling(bot, captureLogger(app.config));
  return { bot, polling, stop: () => polling.stop() };
}

/** A bot for `bot.handleUpdate` in process: no Bot API reached (its own botInfo), quiet logs unless given. */
export function inProcessBot(app: App, deps: Partial<BotDeps> = {}): ZhiliBot {
  return createBot({
    config: app.config,
    answerer: app.answerer,
    retriever: app.index.retriever,
    logger: silentLogger,
    botConfig: { botInfo: terminalBotInfo() },
    ...deps,
  });
}

/** A running bot with one feature (e.g. the drill), stopped together with it. */
export async function startWithFeature<F extends BotFeature & { dispose(): void }>(app: App, feature: F): Promise<{ bot: RunningBot; feature: F; stop: () => Promise<void> }> {
  const bot = await startBot(app, { features: [feature] });
  return {
    bot,
    feature,
    stop: async () => {
      await bot.stop();
      feature.dispose();
    },
  };
}

/** The next sendMessage/editMessageText to a chat (after `since`) that satisfies `test`. */
export function nextText(
  tg: FakeTelegram,
  chatId: number,
  since: number,
  test: (text: string, call: ApiCall) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ApiCall> {
  return tg.waitFor(
    (call) =>
      (call.method === 'sendMessage' || call.method === 'editMessageText') &&
      call.ok === true &&
      Number(call.payload['chat_id']) === chatId &&
      test(String(call.payload['text'] ?? ''), call),
    timeoutMs,
    { since },
  );
}

export function buttonsOf(call: ApiCall): Array<{ text: string; data: string }> {
  const markup = call.payload['reply_markup'] as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

export function messageIdOf(call: ApiCall): number {
  const result = call.response && call.response.ok ? (call.response.result as { message_id?: number }) : undefined;
  return result?.message_id ?? Number(call.payload['message_id']);
}

/** The environment of a child process: no Telegram token, no model, no Redis, whatever the machine has set. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(TELEGRAM_|OPENAI_|REDIS_URL|ALLOWED_USER_IDS|ADMIN_USER_IDS|LOG_LEVEL)/.test(key)) delete env[key];
  return { ...env, NO_COLOR: '1', KNOWLEDGE_DIR, ...extra };
}

/**
 * `npm start` as a child process in `dir` (its DATA_DIR), stderr collected. node itself runs the
 * app, as the deploy files do: the tsx CLI's own child would survive a SIGKILL of the CLI.
 */
export function startMain(dir: string, env: Record<string, string>): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('src/main.ts')], {
    cwd: dir,
    env: childEnv({ DATA_DIR: dir, TELEGRAM_BOT_TOKEN: BOT_TOKEN, ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stderr: () => stderr, exited };
}
