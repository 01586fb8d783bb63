// Drafts submitted at time-up even when no countdown of this process is running for them: the
// bot was restarted (or the drill is being counted down on another instance that went away).
// After each update the chat's entry in the deadline store follows the session's drill (an
// entry while a draft is open on the clock); a poll, at start-up and then every so often, makes
// for each entry that is due the same own update the countdown makes at time-up.
import type { Chat, User } from 'grammy/types';
import { hasDraft, timeUpAt, type DrillSession } from '../../../interview/drill.ts';
import { sessionKey, type BotContext } from '../../context.ts';
import type { DrillDeadline, DrillDeadlineStore } from '../../drill-deadlines.ts';
import { ownUpdate } from '../../own-update.ts';
import type { DrillContext } from './context.ts';

/** how often the store is polled */
export const DEADLINE_POLL_MS = 15_000;
/** a deadline counted down in some process is left to that countdown for this long */
const SLACK_MS = 5000;
const DUE_PER_POLL = 500;

export interface DeadlineKeeper {
  /** After an update of the chat (`hadDraft`: the drill had a draft when it came in): the store follows the session. */
  track(ctx: BotContext, hadDraft: boolean): Promise<void>;
  /** Submits what is due now, then keeps polling; resolves when the first poll is done. */
  start(): Promise<void>;
  stop(): void;
}

/** The drill's deadline entry, or undefined when nothing would be submitted at time-up. */
function dueAtOf(dc: DrillContext, drill: DrillSession | undefined): number | undefined {
  return drill && hasDraft(drill) ? timeUpAt(drill, dc.timing) : undefined;
}

const marker = (e: Pick<DrillDeadline, 'startedAt' | 'index' | 'dueAt'>): string => `${e.startedAt}:${e.index}:${e.dueAt}`;

function chatOf(entry: DrillDeadline): Chat {
  if (entry.chatType === 'private') return { id: entry.chatId, type: 'private', first_name: '' };
  if (entry.chatType === 'channel') return { id: entry.chatId, type: 'channel', title: '' };
  return { id: entry.chatId, type: entry.chatType, title: '' };
}

function userOf(entry: DrillDeadline): User {
  return { id: entry.userId, is_bot: false, first_name: '' };
}

export function deadlineKeeper(dc: DrillContext, store: DrillDeadlineStore, pollMs = DEADLINE_POLL_MS): DeadlineKeeper {
  /** what this process last wrote, per session key (so an unchanged entry is not written again) */
  const written = new Map<string, string>();
  /** deadlines this process handed over already: once only, even if that submission fails */
  const fired = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function track(ctx: BotContext, hadDraft: boolean): Promise<void> {
    const key = sessionKey(ctx);
    if (!key || !ctx.chat || !ctx.from) return;
    const drill = ctx.session?.drill;
    const dueAt = dueAtOf(dc, drill);
    try {
      if (drill && dueAt !== undefined) {
        const entry: DrillDeadline = { key, chatId: ctx.chat.id, chatType: ctx.chat.type, userId: ctx.from.id, startedAt: drill.startedAt, index: drill.index, dueAt };
        if (written.get(key) === marker(entry)) return;
        await store.set(entry);
        written.set(key, marker(entry));
      } else if (hadDraft || written.has(key)) {
        written.delete(key);
        fired.delete(key);
        await store.remove(key);
      }
    } catch (error) {
      ctx.log.warn('drill.deadline_store_failed', { error });
    }
  }

  async function submitDue(): Promise<void> {
    const host = dc.host;
    if (!host) return;
    const now = Date.now();
    for (const entry of await store.due(now - SLACK_MS, DUE_PER_POLL)) {
      if (stopped) return;
      // counted down here: the countdown submits it
      if (dc.timers.has(entry.key) || fired.get(entry.key) === marker(entry)) continue;
      if (!(await store.claim(entry))) continue;
      fired.set(entry.key, marker(entry));
      if (written.get(entry.key) === marker(entry)) written.delete(entry.key);
      dc.log.info('drill.deadline_due', { chatId: entry.chatId, overdueSeconds: Math.round((now - entry.dueAt) / 1000) });
      await host.handleOwnUpdate(ownUpdate(chatOf(entry), userOf(entry), { kind: 'drill.time_up', startedAt: entry.startedAt, index: entry.index }));
    }
  }

  /** One poll; never rejects, and polls do not overlap. */
  function poll(): Promise<void> {
    running ??= submitDue()
      .catch((error: unknown) => dc.log.warn('drill.deadline_poll_failed', { error }))
      .finally(() => (running = undefined));
    return running;
  }

  return {
    track,
    start() {
      stopped = false;
      if (!timer) {
        timer = setInterval(() => void poll(), pollMs);
        timer.unref();
      }
      return poll();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
