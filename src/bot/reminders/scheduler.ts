// Sends the daily reminders that are due. Every instance runs one and polls the store; a claim
// per (user, local day) lets exactly one of them send (see redis-store.ts), and a pacer keeps all
// of them together under Telegram's broadcast limit. It never writes a session: it reads the
// history to pick the question and to see whether the candidate practised today.
import { GrammyError, type Api } from 'grammy';
import type { InterviewQuestion } from '../../interview/index.ts';
import { localDay, nextDueAt, planReminder } from '../../interview/reminders.ts';
import { readHistory } from '../../interview/session-schema.ts';
import { emptyHistory } from '../../interview/progress.ts';
import type { Logger } from '../../log.ts';
import { sendMessages } from '../send.ts';
import { renderReminderPush } from '../render-remind.ts';
import { BROADCAST_PER_SECOND, memoryCounter, WindowPacer, type SendPacer } from './pacer.ts';
import type { ReminderStore } from './store.ts';

export { BROADCAST_PER_SECOND, memoryCounter, WindowPacer, type SendPacer } from './pacer.ts';

export interface ReminderSchedulerDeps {
  store: ReminderStore;
  /** the bot's session store, read only */
  sessions: { read(key: string): unknown };
  api: Api;
  bank: InterviewQuestion[];
  logger: Logger;
  pacer?: SendPacer;
  now?: () => number;
  /** how often the store is polled */
  pollMs?: number;
  /** how long a claim holds before another instance may send that reminder */
  leaseMs?: number;
}

const RETRY_AFTER_MS = 10 * 60_000;
const DUE_PER_TICK = 5000;

/** 403 (blocked, deactivated) or 400 "chat not found": nobody to remind any more. */
function isGoneForGood(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 403 || (error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description)));
}

export class ReminderScheduler {
  private readonly now: () => number;
  private readonly pacer: SendPacer;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopping = false;

  constructor(private readonly deps: ReminderSchedulerDeps) {
    this.now = deps.now ?? Date.now;
    this.pacer = deps.pacer ?? new WindowPacer(BROADCAST_PER_SECOND, deps.store.sendCounter?.() ?? memoryCounter(), this.now);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.deps.pollMs ?? 20_000);
    this.timer.unref();
    void this.tick();
  }

  /** Stops polling; a broadcast in progress stops after the current send (the rest stay due for another instance or the next start). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One poll: sends what is due, returns how many were sent. Never rejects; ticks do not overlap. */
  tick(): Promise<number> {
    this.running ??= this.sendDue()
      .catch((error: unknown) => {
        this.deps.logger.warn('remind.tick_failed', { error });
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sendDue(): Promise<number> {
    const keys = await this.deps.store.due(this.now(), DUE_PER_TICK);
    let sent = 0;
    for (const key of keys) {
      if (this.stopping) break;
      try {
        if (await this.remind(key)) sent += 1;
      } catch (error) {
        this.deps.logger.warn('remind.failed', { key, error });
      }
    }
    return sent;
  }

  private async remind(key: string): Promise<boolean> {
    const { store, logger } = this.deps;
    const reminder = await store.get(key);
    if (!reminder) {
      await store.remove(key);
      return false;
    }
    // another instance sent it since the due list was read: its next due time has moved on
    if (reminder.nextAt > this.now()) return false;
    const slot = localDay(reminder.nextAt, reminder.timeZone);
    const claim = await store.claim(key, slot, this.now(), this.deps.leaseMs ?? 5 * 60_000);
    if (claim === 'busy') return false;
    const nextAt = nextDueAt(reminder, Math.max(this.now(), reminder.nextAt));
    if (claim === 'sent') {
      // that day's reminder went out (the time was changed since): on to the next day
      await store.settle(key, slot, nextAt);
      return false;
    }
    const history = readHistory(((await this.deps.sessions.read(key)) as { history?: unknown } | undefined)?.history) ?? emptyHistory();
    const plan = planReminder({ setting: reminder, dueAt: reminder.nextAt, now: this.now(), history, bank: this.deps.bank });
    if (plan.kind === 'skip') {
      logger.debug('remind.skipped', { chatId: reminder.chatId, why: plan.why });
      await store.settle(key, slot, nextAt);
      return false;
    }
    await this.pacer.acquire();
    try {
      await sendMessages(this.deps.api, reminder.chatId, renderReminderPush(plan.question, plan.reason), { logger });
    } catch (error) {
      if (isGoneForGood(error)) {
        // the user blocked the bot: the reminder is dropped (and so logged only this once)
        await store.remove(key);
        logger.info('remind.opted_out_blocked', { chatId: reminder.chatId, code: (error as GrammyError).error_code });
        return false;
      }
      logger.warn('remind.send_failed', { chatId: reminder.chatId, error });
      await store.retry(key, slot, this.now() + RETRY_AFTER_MS);
      return false;
    }
    await store.settle(key, slot, nextAt);
    logger.info('remind.sent', { chatId: reminder.chatId, questionId: plan.question.id });
    return true;
  }
}
