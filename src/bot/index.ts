// createBot(deps): the Telegram bot as a value. No side effects at import or construction:
// no network call happens until the caller starts it (startPolling) or feeds it updates.
import { join } from 'node:path';
import { callDeadlines, DEFAULT_CALL_DEADLINES } from './call-deadlines.ts';
import { sequentialize } from '@grammyjs/runner';
import { Bot, session, type BotConfig, type Middleware } from 'grammy';
import type { BotCommand, Update } from 'grammy/types';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { initialSession, sessionKey, type BotContext, type SessionData } from './context.ts';
import { SessionGuard } from './session-guard.ts';
import { createErrorHandler } from './errors.ts';
import { forgetBoundary } from './forget-request.ts';
import { askFeature, catchAllFeature } from './features/ask.ts';
import { essaysFeature } from './features/essays.ts';
import { groupGate } from './features/groups.ts';
import { inlineFeature } from './features/inline.ts';
import { sourcesFeature } from './features/sources.ts';
import { startFeature } from './features/start.ts';
import { DailyBudget, RateLimiter, rateLimit } from './ratelimit.ts';
import { renderText } from './render.ts';
import { reply } from './send.ts';
import { FileSessionStore, MemorySessionStore, type SessionStore } from './session.ts';
import { practiceRecords } from './practice-record.ts';
import { isOwnUpdateId, type BotHost } from './own-update.ts';
import { DEFAULT_BOT_OPTIONS, type BotDeps, type BotServices } from './types.ts';

export type { BotContext, SessionData, Turn } from './context.ts';
export type { BotDeps, BotFeature, BotOptions } from './types.ts';
export { callbackData } from './callbacks.ts';
export { createSessionStore, type SessionStore } from './session.ts';

export const BUILT_IN_COMMANDS: BotCommand[] = [
  { command: 'start', description: '欢迎与示例问题' },
  { command: 'ask', description: '提问:/ask 加问题(私聊里直接发文字即可)' },
  { command: 'essays', description: '浏览知识库里的文章' },
  { command: 'new', description: '开始新话题,清除对话上下文' },
  { command: 'mode', description: '选择回答方式:大模型或摘录' },
  { command: 'help', description: '查看全部命令和用法' },
];

/** A grammY Bot that also knows its command menu, its session store and its updates in flight. */
export class ZhiliBot extends Bot<BotContext> implements BotHost {
  private busy = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    token: string,
    config: BotConfig<BotContext> | undefined,
    /** for setMyCommands and /help: built-in commands, then the features' */
    readonly commands: BotCommand[],
    readonly sessions: SessionStore<SessionData>,
    private readonly logger: Logger,
  ) {
    super(token, config);
  }

  /** told when an update is handled, its session saved (the polling journal forgets it then) */
  onHandled?: (updateId: number) => void;

  /** how an own update is run; the webhook server routes it through its chat lock like any other */
  ownUpdateRunner: (update: Update) => Promise<void> = (update) => this.handleUpdate(update);

  /** Handles an update the bot made for itself (see own-update.ts); a failure is logged, never thrown. */
  async handleOwnUpdate(update: Update): Promise<void> {
    try {
      await this.ownUpdateRunner(update);
    } catch (error) {
      this.logger.error('bot.own_update_failed', { updateId: update.update_id, error });
    }
  }

  /** The first middleware: counts updates in flight (the runner's stop() does not wait for them). */
  readonly tracker: Middleware<BotContext> = async (ctx, next) => {
    this.busy += 1;
    try {
      await next();
    } finally {
      if (!isOwnUpdateId(ctx.update.update_id)) this.onHandled?.(ctx.update.update_id);
      this.busy -= 1;
      if (this.busy === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  };

  get updatesInFlight(): number {
    return this.busy;
  }

  /** Resolves when no update is being handled (session writes included). */
  whenIdle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

const DENIED = '抱歉,这个机器人目前只对受邀用户开放。';

/** Gives every update its logger: lines a handler writes through ctx.log name the chat and the update. */
function contextLogger(logger: Logger): Middleware<BotContext> {
  return (ctx, next) => {
    const chatId = ctx.chat?.id;
    const updateId = ctx.update.update_id;
    ctx.log = logger.child({ ...(chatId !== undefined ? { chatId } : {}), ...(isOwnUpdateId(updateId) ? {} : { updateId }) });
    return next();
  };
}

function accessControl(config: Config, logger: Logger): Middleware<BotContext> {
  // ALLOWED_USER_IDS turns the allowlist on; admins are always let in, but alone do not restrict
  const allowed = new Set([...config.allowedUserIds, ...config.adminUserIds]);
  return async (ctx, next) => {
    if (config.allowedUserIds.length === 0 || (ctx.from && allowed.has(ctx.from.id))) return next();
    logger.info('bot.access_denied', { userId: ctx.from?.id, chatId: ctx.chat?.id });
    const quiet = (): undefined => undefined;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: DENIED }).catch(quiet);
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 60 }).catch(quiet);
    else if (ctx.chat?.type === 'private') await ctx.api.sendMessage(ctx.chat.id, DENIED).catch(quiet);
  };
}

/** The deps every production bot takes from the app (the terminal chat and npm start alike). */
// commands that start, end or show a drill themselves
const DRILL_COMMANDS = new Set(['drill', 'mock', 'review', 'new']);

/** Another command in the middle of a drill is handled, then the user is reminded that the clock runs. */
function drillClockReminder(logger: Logger): Middleware<BotContext> {
  return async (ctx, next) => {
    const command = /^\/([A-Za-z_]+)/.exec(ctx.message?.text ?? '')?.[1]?.toLowerCase();
    // only commands in a chat have a session (an inline query has none)
    if (!command || DRILL_COMMANDS.has(command) || !ctx.chat) return next();
    const before = ctx.session.drill;
    await next();
    const drill = ctx.session.drill;
    if (!before || !drill || drill.startedAt !== before.startedAt) return;
    if (drill.phase !== 'thinking' && drill.phase !== 'answering') return;
    await reply(ctx, renderText('(面试练习还在计时:答完直接发送作答即可;发 /new 可以结束练习。)'), logger);
  };
}

export function appBotDeps(
  app: Pick<App, 'config' | 'answerer' | 'index' | 'chat'>,
  logger: Logger,
  storage: SessionStore<SessionData>,
): Pick<BotDeps, 'config' | 'answerer' | 'retriever' | 'chat' | 'logger' | 'storage'> {
  return { config: app.config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger, storage };
}

export function createBot(deps: BotDeps): ZhiliBot {
  const { config, logger } = deps;
  const token = deps.token ?? config.telegramToken;
  if (!token) throw new Error('createBot needs TELEGRAM_BOT_TOKEN (or deps.token for the terminal chat)');
  const options = { ...DEFAULT_BOT_OPTIONS, ...deps.options };
  const features = deps.features ?? [];
  const commands: BotCommand[] = [];
  for (const command of [...BUILT_IN_COMMANDS, ...features.flatMap((f) => f.commands ?? [])]) {
    if (!commands.some((c) => c.command === command.command)) commands.push(command);
  }
  const storage = deps.storage ?? new FileSessionStore<SessionData>(join(config.dataDir, 'sessions'), logger);
  const practice = deps.practice ?? (storage.kind === 'memory' ? new MemorySessionStore<unknown>() : new FileSessionStore<unknown>(join(config.dataDir, 'practice'), logger));
  const botConfig: BotConfig<BotContext> = {
    ...deps.botConfig,
    client: { ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}), ...deps.botConfig?.client },
  };
  const bot = new ZhiliBot(token, botConfig, commands, storage, logger);

  // 429: wait retry_after (capped), 5xx and network errors: retries within a bounded time; typing,
  // drafts and button acknowledgements are tried once, briefly; getMe at start-up is retried by
  // initTelegram instead, with a log line per try
  bot.api.config.use(callDeadlines({ ...DEFAULT_CALL_DEADLINES, maxRetryAttempts: options.maxRetryAttempts, maxRetryDelaySeconds: options.maxRetryDelaySeconds }));

  const services: BotServices = {
    config,
    answerer: deps.answerer,
    retriever: deps.retriever,
    logger,
    chat: deps.chat,
    options,
    drafts: { enabled: options.drafts },
    commands,
    budget: deps.limits?.budget ?? new DailyBudget(config.dailyLlmBudget),
  };
  const onError = createErrorHandler(logger);
  bot.catch(onError);

  bot.use(bot.tracker);
  bot.use(contextLogger(logger));
  // one update at a time per chat (the runner processes different chats concurrently)
  bot.use(sequentialize((ctx: BotContext) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));
  bot.use(accessControl(config, logger));
  bot.use(rateLimit(deps.limits?.rate ?? new RateLimiter(config.rateLimit)));
  const guard = new SessionGuard(storage, logger);
  bot.use(guard.notice);
  bot.use(session({ initial: initialSession, storage: guard.adapter, getSessionKey: sessionKey }));
  // /forget: the session is deleted once the update is handled
  bot.use(forgetBoundary);
  // ctx.practice: the answers and reviews of past attempts, kept apart from the session
  bot.use(practiceRecords(practice));

  // inside the boundary, a failing handler still lets the session be written back
  const guarded = bot.errorBoundary(onError);
  guarded.use(groupGate);
  guarded.use(drillClockReminder(logger));
  guarded.use(startFeature(services), essaysFeature(services), sourcesFeature(services), askFeature(services), inlineFeature(services));
  for (const feature of features) {
    feature.attach?.(bot);
    guarded.use(feature.composer);
  }
  guarded.use(catchAllFeature(services));
  return bot;
}
