// The bot's context type and the session data it persists.
import type { Context, SessionFlavor } from 'grammy';
import type { Logger } from '../log.ts';
import type { PracticeFlavor } from './practice-record.ts';

/** One question of the conversation, kept for follow-ups. */
export interface Turn {
  /** what the user asked, as typed */
  q: string;
  /** the self-contained question (or topic) a follow-up of this turn refers to */
  topic: string;
  /** the start of the answer, plain text, for the LLM follow-up rewrite */
  a: string;
  /** false when the knowledge base did not cover it: no follow-up refers to it */
  grounded: boolean;
  /** sentences quoted in the answer (extractive), not quoted again in a follow-up */
  quoted?: string[];
  /** Date.now() */
  at: number;
}

export interface Preferences {
  /** answer extractively even when a model is configured */
  extractive?: boolean;
}

/**
 * What a chat (a user, in groups: a user in that chat) keeps across updates and restarts.
 *
 * Features plug their own fields in by augmenting this interface from their module, e.g.
 *
 *   declare module '../bot/context.ts' {
 *     interface SessionData { drill?: DrillState }
 *   }
 *
 * Such fields must be optional (old sessions lack them) and JSON-serialisable; the stores
 * persist the whole object, and normalizeSession keeps fields it does not know.
 */
export interface SessionData {
  /** schema version of the built-in fields */
  v: 1;
  /** recent turns, oldest first, at most MAX_TURNS */
  turns: Turn[];
  prefs: Preferences;
}

export const MAX_TURNS = 4;

/** Handlers log through ctx.log: the bot's logger, its lines carrying the update's chatId and updateId. */
export interface LogFlavor {
  log: Logger;
}

export type BotContext = Context & SessionFlavor<SessionData> & LogFlavor & PracticeFlavor;

export function initialSession(): SessionData {
  return { v: 1, turns: [], prefs: {} };
}

/** Repairs what a store returned (older or hand-edited data) without dropping unknown fields. */
export function normalizeSession(raw: unknown): SessionData | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) return initialSession();
  const data = raw as Partial<SessionData> & Record<string, unknown>;
  const turns = Array.isArray(data.turns)
    ? data.turns.filter((t): t is Turn => typeof t === 'object' && t !== null && typeof t.q === 'string' && typeof t.topic === 'string')
    : [];
  const prefs = typeof data.prefs === 'object' && data.prefs !== null && !Array.isArray(data.prefs) ? data.prefs : {};
  return { ...data, v: 1, turns: turns.slice(-MAX_TURNS), prefs };
}

/** Session key: the chat in private chats; the user within the chat in groups. */
export function sessionKey(ctx: Context): string | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  if (chat.type === 'private' || !ctx.from) return String(chat.id);
  return `${chat.id}:${ctx.from.id}`;
}
