import type { BotConfig, Composer } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Answerer } from '../answer/answerer.ts';
import type { ChatModel } from '../answer/llm.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import type { BotContext, SessionData } from './context.ts';
import type { SessionStore } from './session.ts';
import type { PracticeStore } from './practice-record.ts';
import type { BotHost } from './own-update.ts';
import type { DraftSupport } from './stream.ts';
import type { ModelBudget, UserRateLimiter } from './ratelimit.ts';

/**
 * A feature plugged into the bot from outside src/bot (e.g. the interview drills):
 *
 *   const drill: BotFeature = {
 *     name: 'drill',
 *     commands: [{ command: 'drill', description: '结构化面试练习' }],
 *     help: ['/drill 开始练习'],                                  // optional extra /help lines
 *     composer: new Composer<BotContext>()                         // its own handlers
 *       .command('drill', startDrill)
 *       .callbackQuery(/^d:/, onDrillButton)                       // own callback prefix, data via callbackData()
 *       .on('message:text', (ctx, next) => (ctx.session.drill?.active ? answerDrill(ctx) : next())),
 *   };
 *   createBot({ ..., features: [drill] });
 *
 * Placement: after the built-in commands (/start /help /new /mode /essays /ask) and their buttons,
 * before the catch-all that treats any other text as a question and before the hints for
 * stickers/photos/over-long messages — so a feature that owns the conversation (a drill in
 * progress) sees the user's text first, and must call next() for updates it does not own.
 * Groups are filtered before features see anything (only commands, mentions and replies pass).
 * Session fields: augment SessionData (see context.ts) with optional fields; they are persisted
 * with the rest of the session by the same store.
 */
export interface BotFeature {
  name: string;
  composer: Composer<BotContext>;
  /** added to the command menu (setMyCommands) and /help */
  commands?: BotCommand[];
  /** called once with the bot it is plugged into (e.g. to hand it updates of its own) */
  attach?(host: BotHost): void;
}

export interface BotOptions {
  /** minimum time between two edits of a streamed answer in one chat (Telegram flood limits) */
  editIntervalMs: number;
  /** minimum time between two streamed drafts (private chats) */
  draftIntervalMs: number;
  /** try sendMessageDraft in private chats */
  drafts: boolean;
  /** how often the typing action is repeated while an answer is prepared */
  typingIntervalMs: number;
  /** @grammyjs/auto-retry: attempts, and the longest retry_after we wait for */
  maxRetryAttempts: number;
  maxRetryDelaySeconds: number;
}

export const DEFAULT_BOT_OPTIONS: BotOptions = {
  editIntervalMs: 1500,
  draftIntervalMs: 400,
  drafts: true,
  typingIntervalMs: 4500,
  maxRetryAttempts: 3,
  maxRetryDelaySeconds: 30,
};

export interface BotDeps {
  config: Config;
  answerer: Answerer;
  retriever: Retriever;
  logger: Logger;
  /** the chat model for follow-up rewriting (LLM mode); usually App.chat */
  chat?: ChatModel;
  /** session storage; default: JSON files under `${config.dataDir}/sessions` (main.ts passes createSessionStore(config), which picks Redis for REDIS_URL) */
  storage?: SessionStore<SessionData>;
  /** the answers and reviews of past attempts (see practice-record.ts); default: files under `${config.dataDir}/practice`, or memory with a memory session store */
  practice?: PracticeStore;
  /** extra features, see BotFeature */
  features?: BotFeature[];
  /** grammY Bot options: tests pass botInfo (no getMe) and client (apiRoot, fetch) */
  botConfig?: BotConfig<BotContext>;
  /** the token when config has none (the terminal chat) */
  token?: string;
  options?: Partial<BotOptions>;
  /** per-user limits shared by instances (Redis); default: in this process */
  limits?: { rate: UserRateLimiter; budget: ModelBudget };
}

/** What the built-in features share. */
export interface BotServices {
  config: Config;
  answerer: Answerer;
  retriever: Retriever;
  logger: Logger;
  chat?: ChatModel;
  options: BotOptions;
  drafts: DraftSupport;
  /** the full command list (built-in + features), for /help */
  commands: BotCommand[];
  /** model answers per user per day (DAILY_LLM_BUDGET) */
  budget: ModelBudget;
}
