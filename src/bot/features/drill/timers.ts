// The drill's clock settings and the per-chat countdown that edits the question card.
//
// The countdown is a timer in this process only (unref'd, so it never keeps the process
// alive); after a restart it comes back with the chat's next update, and the clock it shows is
// computed from the stored timestamps. When the answer time and its grace are over while a
// draft is open, the countdown hands over to `onTimeUp`, which submits the draft. A draft whose
// time runs out with no countdown running for it (the bot was down) is submitted from the
// deadline store instead (deadlines.ts).
import type { Api } from 'grammy';
import { ANSWER_SECONDS, clockOf, graceSeconds, hasDraft, MOCK_SECONDS, REMINDER_SECONDS, THINKING_SECONDS, type DrillClock, type DrillSession } from '../../../interview/drill.ts';
import type { Logger } from '../../../log.ts';
import type { OutMessage } from '../../render.ts';
import { renderReminder, renderSessionReminder } from '../../render-drill.ts';
import { editMessage, sendMessages } from '../../send.ts';

// ---------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------

export interface DrillTiming {
  thinkingSeconds: number;
  answerSeconds: number;
  /** the reminder goes out when this much answer time is left */
  reminderSeconds: number;
  /** the card's countdown is edited at most this often (plus the phase changes) */
  tickSeconds: number;
  /** the whole mock */
  mockSeconds: number;
  /** the mock's reminder: this much session time left */
  sessionReminderSeconds: number;
  /** with a session reader: from this age on, a countdown re-reads the drill before each edit */
  resyncAfterSeconds: number;
}

export const DEFAULT_TIMING: DrillTiming = {
  thinkingSeconds: THINKING_SECONDS,
  answerSeconds: ANSWER_SECONDS,
  reminderSeconds: REMINDER_SECONDS,
  tickSeconds: 10,
  mockSeconds: MOCK_SECONDS,
  sessionReminderSeconds: 180,
  resyncAfterSeconds: 5,
};

// ---------------------------------------------------------------------------
// The countdown timers
// ---------------------------------------------------------------------------

interface TimerEntry {
  api: Api;
  chatId: number;
  drill: DrillSession;
  /** Date.now() when the countdown started */
  since: number;
  reminded: boolean;
  handle?: NodeJS.Timeout;
  running?: Promise<void>;
  stopped: boolean;
  failures: number;
  /** the card already says the time is up (no more edits of it) */
  showedTimeUp: boolean;
  /** the answer time and its grace are over with a draft open: submit it (called once, not awaited) */
  onTimeUp?: () => void;
}

const MAX_TICK_FAILURES = 3;

/** One countdown per chat: edits the card, sends the reminders; never throws. */
export class DrillTimers {
  private readonly entries = new Map<string, TimerEntry>();
  /** mocks (by startedAt) whose session reminder went out, per chat */
  private readonly sessionReminded = new Map<string, number>();
  /** the card (per chat) whose draft was handed over at time-up: once only, even if that submission fails */
  private readonly submittedAtTimeUp = new Map<string, string>();

  constructor(
    private readonly timing: DrillTiming,
    private readonly logger: Logger,
    private readonly card: (drill: DrillSession, clock: DrillClock) => OutMessage | undefined,
    /** the drill as stored now (another instance may have taken the answer); undefined: no such check */
    private readonly stored?: (key: string) => Promise<DrillSession | undefined>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Starts the countdown of a chat's card, or updates it with the latest state; returns whether the reminder went out. */
  ensure(key: string, api: Api, chatId: number, drill: DrillSession, onTimeUp?: () => void): boolean {
    const current = this.entries.get(key);
    if (current && sameCard(current.drill, drill)) {
      // another part of the draft: the card shows the new count even after the time is up
      if ((current.drill.draft?.length ?? 0) !== (drill.draft?.length ?? 0)) current.showedTimeUp = false;
      current.drill = drill;
      current.onTimeUp = onTimeUp;
      current.reminded ||= drill.reminded === true;
      if (current.handle) {
        clearTimeout(current.handle);
        this.schedule(key, current);
      }
      return current.reminded;
    }
    if (current) this.halt(key, current);
    const entry: TimerEntry = { api, chatId, drill, since: Date.now(), reminded: drill.reminded === true, stopped: false, failures: 0, showedTimeUp: false, onTimeUp };
    this.entries.set(key, entry);
    this.schedule(key, entry);
    return entry.reminded;
  }

  /** Stops the chat's countdown and waits for an edit in flight, so the caller's own edit of the card comes last. */
  async stop(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.halt(key, entry);
    await entry.running;
  }

  cancel(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.halt(key, entry);
  }

  dispose(): void {
    for (const [key, entry] of [...this.entries]) this.halt(key, entry);
    this.sessionReminded.clear();
    this.submittedAtTimeUp.clear();
  }

  private halt(key: string, entry: TimerEntry): void {
    entry.stopped = true;
    if (entry.handle) clearTimeout(entry.handle);
    entry.handle = undefined;
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private delayMs(key: string, entry: TimerEntry): number {
    const t = this.timing;
    const clock = clockOf(entry.drill, Date.now(), t);
    const events = [t.tickSeconds];
    if (clock.phase === 'thinking') events.push(clock.phaseLeft);
    else {
      if (!entry.reminded) events.push(clock.phaseLeft - t.reminderSeconds);
      events.push(clock.phaseLeft);
      if (hasDraft(entry.drill)) events.push(clock.phaseLeft + graceSeconds(t));
    }
    if (clock.sessionLeft !== undefined && this.sessionReminded.get(key) !== entry.drill.startedAt) events.push(clock.sessionLeft - t.sessionReminderSeconds);
    const next = Math.min(...events.filter((e) => e > 0));
    // a little after the moment itself, so the clock has really crossed it
    return Math.max(20, Math.round(next * 1000) + 15);
  }

  private schedule(key: string, entry: TimerEntry): void {
    if (entry.stopped) return;
    const handle = setTimeout(() => {
      entry.handle = undefined;
      entry.running = this.tick(key, entry).finally(() => {
        entry.running = undefined;
      });
    }, this.delayMs(key, entry));
    handle.unref();
    entry.handle = handle;
  }

  /**
   * False when the stored drill no longer shows this card (answered or ended through another
   * instance, e.g. in webhook mode). Young countdowns skip the check: their own session write
   * may still be on its way.
   */
  private async stillCurrent(key: string, entry: TimerEntry): Promise<boolean> {
    if (!this.stored || Date.now() - entry.since < this.timing.resyncAfterSeconds * 1000) return true;
    let stored: DrillSession | undefined;
    try {
      stored = await this.stored(key);
    } catch (error) {
      this.logger.debug('drill.tick_read_failed', { chatId: entry.chatId, error });
      return true;
    }
    if (!stored || !sameCard(stored, entry.drill) || (stored.phase !== 'thinking' && stored.phase !== 'answering')) return false;
    // 开始作答 pressed elsewhere; the newer of the two states wins
    if (stored.phaseStartedAt > entry.drill.phaseStartedAt) entry.drill = { ...stored, reminded: entry.reminded || stored.reminded === true };
    return true;
  }

  private async tick(key: string, entry: TimerEntry): Promise<void> {
    if (entry.stopped) return;
    if (!(await this.stillCurrent(key, entry))) {
      this.halt(key, entry);
      return;
    }
    if (entry.stopped) return;
    const t = this.timing;
    const clock = clockOf(entry.drill, Date.now(), t);
    const cardId = entry.drill.cardMessageId;
    if ((clock.phase !== 'thinking' && clock.phase !== 'answering') || cardId === undefined) {
      this.halt(key, entry);
      return;
    }
    try {
      if (clock.phase === 'answering' && !entry.reminded && clock.phaseLeft > 0 && clock.phaseLeft <= t.reminderSeconds) {
        entry.reminded = true;
        await sendMessages(entry.api, entry.chatId, renderReminder(clock.phaseLeft), { logger: this.logger });
      }
      const { sessionLeft } = clock;
      if (sessionLeft !== undefined && sessionLeft > 0 && sessionLeft <= t.sessionReminderSeconds && this.sessionReminded.get(key) !== entry.drill.startedAt) {
        this.sessionReminded.set(key, entry.drill.startedAt);
        await sendMessages(entry.api, entry.chatId, renderSessionReminder(sessionLeft), { logger: this.logger });
      }
      if (entry.stopped) return;
      const overTime = clock.phase === 'answering' && clock.phaseLeft <= 0;
      const message = entry.showedTimeUp ? undefined : this.card(entry.drill, clock);
      if (message && !(await editMessage(entry.api, entry.chatId, cardId, message, this.logger))) {
        // the card was deleted: nothing left to count down on
        this.halt(key, entry);
        return;
      }
      entry.showedTimeUp ||= overTime && message !== undefined;
      entry.failures = 0;
    } catch (error) {
      entry.failures += 1;
      this.logger.debug('drill.tick_failed', { chatId: entry.chatId, failures: entry.failures, error });
      if (entry.failures >= MAX_TICK_FAILURES) {
        this.halt(key, entry);
        return;
      }
    }
    if (entry.stopped) return;
    if (clock.phase === 'answering' && clock.phaseLeft <= 0) {
      // with a draft open the clock runs on through the grace, then the draft is submitted;
      // without one the card says the time is up and stays so until the answer comes
      const card = cardKey(entry.drill);
      const submit = hasDraft(entry.drill) && this.submittedAtTimeUp.get(key) !== card ? entry.onTimeUp : undefined;
      if (!submit || clock.timeUp) {
        // halted first: the submission stops this countdown and must not wait for this tick
        this.halt(key, entry);
        if (submit) {
          this.submittedAtTimeUp.set(key, card);
          submit();
        }
        return;
      }
    }
    this.schedule(key, entry);
  }
}

function cardKey(drill: DrillSession): string {
  return `${drill.startedAt}:${drill.index}:${drill.cardMessageId ?? ''}`;
}

function sameCard(a: DrillSession, b: DrillSession): boolean {
  return a.startedAt === b.startedAt && a.index === b.index && a.cardMessageId === b.cardMessageId;
}
