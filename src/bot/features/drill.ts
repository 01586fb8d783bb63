// Structured-interview drills in the bot (issue 4): /drill, /mock, /stats, /review.
//
// The drill lives in the session as plain data (src/interview/drill.ts: every deadline is a
// timestamp), so a restart in the middle of a drill resumes it: the next message is still the
// answer to that question. The live countdown on the question card is a per-chat timer in this
// process only (unref'd, so it never keeps the process alive); after a restart it comes back
// with the chat's next update, and the clock it shows is computed from the stored timestamps.
import { Composer, InputFile, type Api } from 'grammy';
import type { ChatModel } from '../../answer/llm.ts';
import { createOpenAIClient } from '../../answer/llm.ts';
import type { Config } from '../../config.ts';
import {
  afterFollowUp,
  afterReview,
  ANSWER_SECONDS,
  beginAnswering,
  chooseQuestion,
  currentQuestionId,
  MOCK_SECONDS,
  mockReport,
  REMINDER_SECONDS,
  startDrill,
  startMock,
  THINKING_SECONDS,
  type DrillClock,
  type DrillSession,
  type Random,
  clockOf,
  draftAnswer,
  routeMessage,
  withDraft,
} from '../../interview/drill.ts';
import { renderProgressChart } from '../../interview/chart.ts';
import { readDrillSession, readHistory } from '../../interview/session-schema.ts';
import {
  contentLength,
  drillStats,
  emptyHistory,
  loadBank,
  modelAnswerWithSources,
  nextReviewQuestion,
  passagesFor,
  questionFromText,
  QUESTION_TYPES,
  recordAttempt,
  scoreAnswer,
  type DrillHistory,
  type InterviewQuestion,
  type QuestionType,
  type Review,
} from '../../interview/index.ts';
import type { Logger } from '../../log.ts';
import type { Retriever } from '../../retrieval/retriever.ts';
import { sessionKey, type BotContext } from '../context.ts';
import { renderText, type OutMessage } from '../render.ts';
import {
  decodeDrill,
  durationText,
  renderCard,
  renderDrillDone,
  renderFollowUpOutcome,
  renderFollowUpPrompt,
  renderMissExcerpt,
  renderMockAck,
  renderMockIntro,
  renderMockReport,
  renderModelAnswer,
  renderNoHistory,
  fillerCount,
  renderConfirmAnswer,
  renderReviewDetails,
  renderDraftStatus,
  renderReminder,
  renderReview,
  renderReviewPick,
  renderSessionReminder,
  renderStats,
  renderTranscript,
  renderTypePicker,
  type CardStatus,
  type Delivery,
  type FollowUpOutcome,
  type MockSheetView,
  type ModelAnswerSource,
  type ReviewRecord,
} from '../render-drill.ts';
import { ack, editMessage, reply, sendMessages } from '../send.ts';
import { createOpenAITranscriber, DEFAULT_API_ROOT, downloadTelegramFile, MAX_DOWNLOAD_BYTES, type Transcriber } from '../transcribe.ts';
import type { BotFeature } from '../types.ts';

declare module '../context.ts' {
  interface SessionData {
    /** the drill in progress (a single question or a mock) */
    drill?: DrillSession;
    /** every scored attempt and the spaced-repetition schedule */
    history?: DrillHistory;
    /** reviews of the drill in progress: the 追问 needs the misses, the mock shows them at the end */
    drillReviews?: ReviewRecord[];
    /** the last few reviews, for their 「要点与原文」 buttons */
    recentReviews?: ReviewRecord[];
  }
}

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
}

const MAX_TICK_FAILURES = 3;

/** One countdown per chat: edits the card, sends the reminders; never throws. */
export class DrillTimers {
  private readonly entries = new Map<string, TimerEntry>();
  /** mocks (by startedAt) whose session reminder went out, per chat */
  private readonly sessionReminded = new Map<string, number>();

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
  ensure(key: string, api: Api, chatId: number, drill: DrillSession): boolean {
    const current = this.entries.get(key);
    if (current && sameCard(current.drill, drill)) {
      current.drill = drill;
      current.reminded ||= drill.reminded === true;
      if (current.handle) {
        clearTimeout(current.handle);
        this.schedule(key, current);
      }
      return current.reminded;
    }
    if (current) this.halt(key, current);
    const entry: TimerEntry = { api, chatId, drill, since: Date.now(), reminded: drill.reminded === true, stopped: false, failures: 0 };
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
      const message = this.card(entry.drill, clock);
      if (message && !(await editMessage(entry.api, entry.chatId, cardId, message, this.logger))) {
        // the card was deleted: nothing left to count down on
        this.halt(key, entry);
        return;
      }
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
    // the last edit said the time is up: the card stays as it is until the answer comes
    if (clock.phase === 'answering' && clock.phaseLeft <= 0) {
      this.halt(key, entry);
      return;
    }
    this.schedule(key, entry);
  }
}

function sameCard(a: DrillSession, b: DrillSession): boolean {
  return a.startedAt === b.startedAt && a.index === b.index && a.cardMessageId === b.cardMessageId;
}

// ---------------------------------------------------------------------------
// The feature
// ---------------------------------------------------------------------------

export interface DrillFeatureDeps {
  retriever: Retriever;
  logger: Logger;
  /** the LLM examiner; without it (or when it fails) answers are scored offline, and labelled so */
  chat?: ChatModel;
  /** default: interview/questions.yaml of this repository */
  bank?: InterviewQuestion[];
  /** voice answers: only when a transcription endpoint is configured */
  transcriber?: Transcriber;
  /** where voice files are downloaded from; default: the bot's own API root */
  telegramApiRoot?: string;
  timing?: Partial<DrillTiming>;
  /** the choice of questions (tests fix it) */
  random?: Random;
  typingIntervalMs?: number;
  /** a drill nobody touched for this long is over; the next message is an ordinary one */
  staleAfterMs?: number;
  /**
   * The bot's session store (read only): countdowns re-read the drill before each edit, so a
   * drill answered through another instance (webhook mode) stops counting down here too.
   */
  sessions?: { read(key: string): unknown };
}

export interface DrillFeature extends BotFeature {
  /** stops every countdown (the bot is stopping) */
  dispose(): void;
  readonly timers: DrillTimers;
}

export const DRILL_COMMANDS = [
  { command: 'drill', description: '结构化面试单题练习(可加题型,如 /drill 应急应变)' },
  { command: 'mock', description: '模拟面试:3 道题 15 分钟,结束给成绩单' },
  { command: 'stats', description: '面试练习统计与进度图' },
  { command: 'review', description: '按弱项复习:练下一道该练的题' },
];

const TYPE_ALIASES: Array<[RegExp, QuestionType]> = [
  [/^综合(分析)?$/, '综合分析'],
  [/^(组织(管理)?|计划(组织)?(协调)?|计划组织协调)$/, '组织管理'],
  [/^(应急(应变)?|应变)$/, '应急应变'],
  [/^(人际(沟通|关系)?|沟通)$/, '人际沟通'],
  [/^(现场(模拟)?|模拟|情景模拟)$/, '现场模拟'],
];

export function parseQuestionType(text: string): QuestionType | undefined {
  const t = text.replace(/[\s题类]+$/g, '').trim();
  return TYPE_ALIASES.find(([pattern]) => pattern.test(t))?.[1];
}

/** Reviews kept for their details button. */
const RECENT_REVIEWS = 5;

/** "/drill <text>" with at least this much text is a question of the candidate's own. */
const OWN_QUESTION_MIN_CHARS = 15;

/** Shorter than this, a message in a drill is not taken for an answer (a stray "好" or "?"). */
export const MIN_MESSAGE_CHARS = 5;
const STALE_AFTER_MS = 2 * 60 * 60 * 1000;
const PHASES = new Set(['thinking', 'answering', 'transcript', 'followup', 'done']);

function strip(review: Review): ReviewRecord['review'] {
  const { points: _points, modelAnswer: _modelAnswer, ...rest } = review;
  return rest;
}

export function drillFeature(deps: DrillFeatureDeps): DrillFeature {
  const timing: DrillTiming = { ...DEFAULT_TIMING, ...deps.timing };
  const bank = deps.bank ?? loadBank();
  const byId = new Map(bank.map((q) => [q.id, q]));
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const voice = deps.transcriber !== undefined;
  const typingIntervalMs = deps.typingIntervalMs ?? 4500;
  const staleAfterMs = deps.staleAfterMs ?? STALE_AFTER_MS;
  const examiner = { chat: deps.chat, retriever: deps.retriever, logger: log };
  const counts = Object.fromEntries(QUESTION_TYPES.map((t) => [t, bank.filter((q) => q.type === t).length])) as Record<QuestionType, number>;

  const questionOf = (drill: DrillSession): InterviewQuestion | undefined =>
    currentQuestionId(drill) === 'free' ? drill.own?.question : byId.get(currentQuestionId(drill) ?? '');

  const cardFor = (drill: DrillSession, status: CardStatus, clock: DrillClock): OutMessage | undefined => {
    const question = questionOf(drill);
    if (!question) return undefined;
    return renderCard({
      question,
      kind: drill.kind,
      index: drill.index,
      count: drill.questionIds.length,
      status,
      phaseLeft: clock.phaseLeft,
      sessionLeft: clock.sessionLeft,
      sessionSeconds: drill.endsAt !== undefined ? (drill.endsAt - drill.startedAt) / 1000 : undefined,
      thinkingSeconds: timing.thinkingSeconds,
      answerSeconds: timing.answerSeconds,
      voice,
      typeSource: drill.own?.typeSource,
    });
  };
  const liveCard = (drill: DrillSession, clock: DrillClock): OutMessage | undefined => cardFor(drill, clock.phase === 'thinking' ? 'thinking' : 'answering', clock);
  const sessions = deps.sessions;
  const storedDrill = sessions
    ? async (key: string): Promise<DrillSession | undefined> => {
        const data: unknown = await sessions.read(key);
        const drill = typeof data === 'object' && data !== null ? (data as { drill?: unknown }).drill : undefined;
        return readDrillSession(drill);
      }
    : undefined;
  const timers = new DrillTimers(timing, log, liveCard, storedDrill);

  const history = (ctx: BotContext): DrillHistory => readHistory(ctx.session.history) ?? emptyHistory();
  const say = async (ctx: BotContext, messages: OutMessage[]): Promise<void> => {
    await reply(ctx, messages, log);
  };

  function startTyping(ctx: BotContext): () => void {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return () => undefined;
    const send = (): void => {
      ctx.api.sendChatAction(chatId, 'typing').catch((error: unknown) => log.debug('drill.typing_failed', { chatId, error }));
    };
    send();
    const timer = setInterval(send, typingIntervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Edits the card (e.g. "已收到回答"); a card that cannot be edited any more is no reason to fail. */
  async function settleCard(ctx: BotContext, drill: DrillSession, status: CardStatus): Promise<void> {
    const key = sessionKey(ctx);
    if (key) await timers.stop(key);
    if (drill.cardMessageId === undefined || !ctx.chat) return;
    const message = cardFor(drill, status, clockOf(drill, Date.now(), timing));
    if (!message) return;
    try {
      await editMessage(ctx.api, ctx.chat.id, drill.cardMessageId, message, log);
    } catch (error) {
      log.debug('drill.card_edit_failed', { chatId: ctx.chat.id, error });
    }
  }

  async function sendCard(ctx: BotContext, drill: DrillSession): Promise<void> {
    const message = liveCard(drill, clockOf(drill, Date.now(), timing));
    if (!message) {
      ctx.session.drill = undefined;
      await say(ctx, renderText('这道题已经不在题库里了,请发送 /drill 换一道题。'));
      return;
    }
    const [sent] = await reply(ctx, [message], log);
    ctx.session.drill = { ...drill, cardMessageId: sent?.message_id, reminded: false };
  }

  /** Ends the drill in progress, if any (a new one is starting). */
  async function abandonCurrent(ctx: BotContext): Promise<void> {
    const drill = ctx.session.drill;
    if (!drill) return;
    if (drill.phase === 'thinking' || drill.phase === 'answering') await settleCard(ctx, drill, 'abandoned');
    ctx.session.drill = undefined;
    ctx.session.drillReviews = undefined;
    if (drill.phase !== 'done') {
      const note =
        drill.kind === 'mock'
          ? '之前未完成的模拟面试已结束;已经作答的题目仍计入练习记录。'
          : drill.followUp
            ? '之前那道题的追问已结束,题目的得分已经记录。'
            : '之前未完成的那道题已结束,不计分。';
      await say(ctx, renderText(note));
    }
  }

  async function startSingle(ctx: BotContext, question: InterviewQuestion, intro?: OutMessage[], typeSource?: 'detected' | 'chosen'): Promise<void> {
    await abandonCurrent(ctx);
    if (intro) await say(ctx, intro);
    ctx.session.drillReviews = [];
    await sendCard(ctx, startDrill(question, Date.now(), typeSource));
    log.info('drill.started', { chatId: ctx.chat?.id, kind: 'single', questionId: question.id });
  }

  async function startMockDrill(ctx: BotContext): Promise<void> {
    await abandonCurrent(ctx);
    const now = Date.now();
    // the last few questions practised are not asked again in this mock
    const recent = new Set(history(ctx).attempts.slice(-3).flatMap((a) => (a.questionId ? [a.questionId] : [])));
    const mock: DrillSession = { ...startMock(bank, now, random, recent), endsAt: now + timing.mockSeconds * 1000 };
    if (mock.questionIds.length === 0) {
      await say(ctx, renderText('题库里暂时没有足够的题目进行模拟面试。'));
      return;
    }
    ctx.session.drillReviews = [];
    await say(ctx, renderMockIntro(mock.questionIds.length, timing.mockSeconds, timing.thinkingSeconds, timing.answerSeconds));
    await sendCard(ctx, mock);
    log.info('drill.started', { chatId: ctx.chat?.id, kind: 'mock', questionIds: mock.questionIds });
  }

  /** After an answer or a 追问: the 追问, the next question, or the end. */
  async function proceed(ctx: BotContext, drill: DrillSession): Promise<void> {
    if (drill.phase === 'followup' && drill.followUp) {
      await say(ctx, renderFollowUpPrompt(drill.followUp, voice));
      return;
    }
    if (drill.phase === 'done') {
      await finish(ctx, drill);
      return;
    }
    await sendCard(ctx, drill);
  }

  async function finish(ctx: BotContext, drill: DrillSession): Promise<void> {
    const records = ctx.session.drillReviews ?? [];
    if (drill.kind === 'single') {
      ctx.session.drill = undefined;
      ctx.session.drillReviews = undefined;
      await say(ctx, renderDrillDone('single', questionOf(drill)?.type));
      return;
    }
    const report = mockReport(drill, Date.now());
    const questions: MockSheetView['questions'] = [];
    drill.questionIds.forEach((id, i) => {
      const question = byId.get(id);
      if (!question) return;
      const result = report.questions.find((r) => r.questionId === id);
      questions.push(
        result
          ? { question, total: result.total, band: result.band, status: 'answered' }
          : { question, status: i <= drill.index ? 'skipped' : 'unanswered' },
      );
    });
    ctx.session.drill = undefined;
    ctx.session.drillReviews = undefined;
    await say(ctx, renderMockReport({ report, sessionSeconds: drill.endsAt !== undefined ? (drill.endsAt - drill.startedAt) / 1000 : timing.mockSeconds, questions }));
    for (const record of records) {
      const n = drill.questionIds.indexOf(record.review.questionId ?? '') + 1;
      await say(ctx, renderReview(record, { heading: `第 ${n} 题点评 · ${record.review.type}`, answerSeconds: timing.answerSeconds, buttons: true }));
    }
    await say(ctx, renderDrillDone('mock'));
    log.info('drill.mock_finished', { chatId: ctx.chat?.id, total: report.total, answered: report.questions.length });
  }

  /** Scores a typed answer, noting when it came after the answer time. */
  async function submitText(ctx: BotContext, drill: DrillSession, text: string): Promise<void> {
    const clock = clockOf(drill, Date.now(), timing);
    const overtime = clock.phase === 'answering' && clock.phaseLeft < 0 ? -clock.phaseLeft : undefined;
    const settled: DrillSession = { ...drill, draft: undefined, pending: undefined };
    await scoreMain(ctx, settled, text, { kind: 'text', chars: contentLength(text), ...(overtime !== undefined ? { overtimeSeconds: overtime } : {}) });
  }

  async function addToDraft(ctx: BotContext, drill: DrillSession, text: string): Promise<void> {
    const next = withDraft(drill, text);
    ctx.session.drill = next;
    await say(ctx, renderDraftStatus(next.draft?.length ?? 1, contentLength(draftAnswer(next)), timing.answerSeconds));
  }

  async function scoreMain(ctx: BotContext, drill: DrillSession, text: string, delivery: Delivery): Promise<void> {
    const question = questionOf(drill);
    if (!question) return;
    if (drill.phase === 'thinking' || drill.phase === 'answering') await settleCard(ctx, drill, 'received');
    const stopTyping = startTyping(ctx);
    const started = Date.now();
    let review: Review;
    try {
      review = await scoreAnswer(question, text, { ...examiner, time: { limitSeconds: timing.answerSeconds }, typeSource: drill.own?.typeSource });
    } finally {
      stopTyping();
    }
    const now = Date.now();
    const record: ReviewRecord = { id: now.toString(36), review: strip(review), delivery };
    const next = afterReview(drill, review, now);
    if (drill.kind === 'mock') await say(ctx, renderMockAck(drill.index, drill.questionIds.length));
    else await say(ctx, renderReview(record, { heading: `📋 评分结果 · ${question.type}`, answerSeconds: timing.answerSeconds, buttons: true }));
    // recorded once the user has seen it (or, in a mock, been told it is in)
    ctx.session.history = recordAttempt(history(ctx), review, new Date(now));
    ctx.session.drillReviews = [...(ctx.session.drillReviews ?? []), record];
    ctx.session.recentReviews = [...(ctx.session.recentReviews ?? []), record].slice(-RECENT_REVIEWS);
    ctx.session.drill = next;
    log.info('drill.scored', {
      chatId: ctx.chat?.id,
      questionId: question.id,
      total: review.total,
      band: review.band,
      mode: review.mode,
      delivery: delivery.kind,
      ms: now - started,
    });
    await proceed(ctx, next);
  }

  async function answerFollowUp(ctx: BotContext, drill: DrillSession, text: string | undefined): Promise<void> {
    const question = questionOf(drill);
    if (!question) return;
    const records = [...(ctx.session.drillReviews ?? [])];
    const last = records[records.length - 1];
    let outcome: FollowUpOutcome = { question: drill.followUp ?? '', answered: false, covered: [], remaining: [] };
    if (text !== undefined) {
      // the 追问 targets what the answer missed: score the reply against those points only
      const missed = new Set(last?.review.questionId === question.id ? last.review.misses.map((m) => m.pointId) : []);
      const targets = question.keyPoints.filter((p) => missed.has(p.id));
      const points = targets.length > 0 ? targets : question.keyPoints;
      const probe: InterviewQuestion = { ...question, stem: `${question.stem}\n追问:${drill.followUp ?? ''}`, keyPoints: points };
      const stopTyping = startTyping(ctx);
      let review: Review;
      try {
        // a 追问 is answered in about a minute
        review = await scoreAnswer(probe, text, { ...examiner, time: { limitSeconds: 60 } });
      } finally {
        stopTyping();
      }
      const covered = review.hits.map((h) => ({ point: h.point, evidence: h.evidence, status: h.status === 'hit' ? ('hit' as const) : ('partial' as const) }));
      const done = new Set(covered.map((c) => c.point));
      outcome = { ...outcome, answered: true, covered, remaining: points.filter((p) => !done.has(p.point)).map((p) => p.point), mode: review.mode };
      if (drill.kind === 'mock') await say(ctx, renderText('已收到追问的回答,点评在模拟面试结束后一并给出。'));
      else await say(ctx, renderFollowUpOutcome(outcome));
    } else {
      await say(ctx, renderText('已跳过追问。'));
    }
    if (last) {
      records[records.length - 1] = { ...last, followUp: outcome };
      ctx.session.drillReviews = records;
    }
    const next = afterFollowUp(drill, Date.now());
    ctx.session.drill = next;
    log.info('drill.followup', { chatId: ctx.chat?.id, questionId: question.id, answered: outcome.answered, covered: outcome.covered.length });
    await proceed(ctx, next);
  }

  async function sendStats(ctx: BotContext): Promise<void> {
    const h = history(ctx);
    if (h.attempts.length === 0) {
      await say(ctx, renderNoHistory());
      return;
    }
    const stats = drillStats(h);
    const modes = { offline: h.attempts.filter((a) => a.mode !== 'llm').length, llm: h.attempts.filter((a) => a.mode === 'llm').length };
    await say(ctx, renderStats({ stats, modes }));
    try {
      await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
      const png = await renderProgressChart({
        dimensions: stats.byDimension.map((d) => ({ name: d.name, score: d.average, max: 10 })),
        trend: stats.trend,
        title: '面试练习进度',
      });
      await ctx.replyWithPhoto(new InputFile(png, 'progress.png'), { caption: `左:各维度平均分(满分 10);右:最近 ${stats.trend.length} 次练习的总分。` });
    } catch (error) {
      log.warn('drill.chart_failed', { chatId: ctx.chat?.id, error });
      await say(ctx, renderText('进度图暂时没能生成,上面的文字统计不受影响。'));
    }
  }

  async function startReview(ctx: BotContext): Promise<void> {
    const { question, reason } = nextReviewQuestion(history(ctx), bank, new Date());
    await startSingle(ctx, question, renderReviewPick(reason));
  }

  async function onVoice(ctx: BotContext, drill: DrillSession): Promise<void> {
    const voiceMessage = ctx.msg?.voice;
    if (!voiceMessage || !ctx.chat) return;
    if (!deps.transcriber) {
      await say(ctx, renderText('暂时无法识别语音(没有配置语音转写服务)。请把你的回答用文字发给我,计时照常进行。'));
      return;
    }
    if ((voiceMessage.file_size ?? 0) > MAX_DOWNLOAD_BYTES) {
      await say(ctx, renderText('这段语音太大了,我下载不了。请录短一些,或者用文字作答。'));
      return;
    }
    const stopTyping = startTyping(ctx);
    let text: string;
    try {
      const file = await ctx.getFile();
      if (!file.file_path) throw new Error('getFile returned no file_path');
      const apiRoot = deps.telegramApiRoot ?? ctx.api.options?.apiRoot ?? DEFAULT_API_ROOT;
      const audio = await downloadTelegramFile(apiRoot, ctx.api.token, file.file_path);
      text = await deps.transcriber.transcribe(audio, 'voice.ogg', AbortSignal.timeout(60_000));
    } catch (error) {
      log.warn('drill.transcription_failed', { chatId: ctx.chat.id, error });
      await say(ctx, renderText('语音转写没有成功。请再发一次语音,或者直接用文字作答。'));
      return;
    } finally {
      stopTyping();
    }
    if (contentLength(text) === 0) {
      await say(ctx, renderText('没有从这段语音里识别出文字。请靠近话筒再录一次,或者用文字作答。'));
      return;
    }
    const isMain = !drill.followUp;
    if (drill.phase === 'thinking' || drill.phase === 'answering') await settleCard(ctx, drill, 'voice');
    ctx.session.drill = { ...drill, phase: 'transcript', transcript: { text, seconds: voiceMessage.duration } };
    log.info('drill.voice', { chatId: ctx.chat.id, seconds: voiceMessage.duration, chars: contentLength(text), followUp: !isMain });
    await say(ctx, renderTranscript(text, voiceMessage.duration, isMain ? timing.answerSeconds : undefined));
  }

  /** Drops a drill that is unreadable, no longer in the bank, finished, or long abandoned. */
  async function tidy(ctx: BotContext): Promise<void> {
    const drill: unknown = ctx.session.drill;
    if (drill === undefined) return;
    const key = sessionKey(ctx);
    const drop = (): void => {
      ctx.session.drill = undefined;
      ctx.session.drillReviews = undefined;
      if (key) timers.cancel(key);
    };
    const stored = readDrillSession(drill);
    if (!stored || !questionOf(stored) || stored.phase === 'done') {
      log.warn('drill.dropped_state', { chatId: ctx.chat?.id });
      drop();
      return;
    }
    // the checked state from here on (a loose field of an older version is left as it was)
    ctx.session.drill = stored;
    if (Date.now() - stored.phaseStartedAt > staleAfterMs) {
      drop();
      if (ctx.chat && (ctx.message || ctx.callbackQuery)) {
        await say(ctx, renderText('你上次的面试练习很久没有继续,已经自动结束了。发送 /drill 可以重新开始。'));
      }
    }
  }

  /** Keeps the card's countdown running (or stopped) to match the session, e.g. after a restart. */
  function syncTimer(ctx: BotContext): void {
    const key = sessionKey(ctx);
    if (!key || !ctx.chat) return;
    const drill = ctx.session.drill;
    if (drill && drill.cardMessageId !== undefined && (drill.phase === 'thinking' || drill.phase === 'answering')) {
      const reminded = timers.ensure(key, ctx.api, ctx.chat.id, drill);
      if (reminded && !drill.reminded) ctx.session.drill = { ...drill, reminded: true };
    } else {
      timers.cancel(key);
    }
  }

  const composer = new Composer<BotContext>();

  composer.use(async (ctx, next) => {
    if (!sessionKey(ctx)) return next();
    await tidy(ctx);
    try {
      await next();
    } finally {
      syncTimer(ctx);
    }
  });

  composer.command('drill', async (ctx) => {
    const arg = ctx.match.trim();
    if (arg === '') {
      await say(ctx, renderTypePicker(counts));
      return;
    }
    const type = parseQuestionType(arg);
    const question = type ? chooseQuestion(bank, type, random) : byId.get(arg);
    // anything longer than a type or an id is a question of the candidate's own
    if (!question && !type && contentLength(arg) >= OWN_QUESTION_MIN_CHARS) {
      const own = await questionFromText(arg, deps.retriever);
      await startSingle(ctx, own, undefined, 'detected');
      return;
    }
    if (!question) {
      const note = type ? `题库里暂时没有${type}题,请换个题型。` : `没有“${arg}”这个题型。可选的题型:${QUESTION_TYPES.join('、')}。`;
      await say(ctx, renderTypePicker(counts, note));
      return;
    }
    await startSingle(ctx, question);
  });

  // /new starts over: a drill in progress ends, and says so
  composer.command('new', (ctx) => abandonCurrent(ctx));
  composer.command('mock', (ctx) => startMockDrill(ctx));
  composer.command('stats', (ctx) => sendStats(ctx));
  composer.command('review', (ctx) => startReview(ctx));

  composer.on('message:text', async (ctx, next) => {
    const drill = ctx.session.drill;
    if (!drill || ctx.entities('bot_command').some((e) => e.offset === 0)) return next();
    const mention = new RegExp(`@${ctx.me.username}(?![\\w])`, 'gi');
    const text = ctx.msg.text.replace(mention, ' ').trim();
    if (!['thinking', 'answering', 'transcript', 'followup'].includes(drill.phase)) return next();
    const chars = contentLength(text);
    if (chars < MIN_MESSAGE_CHARS) {
      await say(
        ctx,
        renderText(
          drill.phase === 'followup'
            ? `这条消息只有 ${chars} 个字,不像是对追问的回答。请具体说说你会怎么做;不想回答可以点「跳过追问」。`
            : `这条消息只有 ${chars} 个字,不像是一段回答(3 分钟的口头作答约 450–650 字)。请发送完整的回答;不想答这道题可以点题卡上的「${drill.kind === 'mock' ? '跳过本题' : '放弃本题'}」。`,
        ),
      );
      return;
    }
    if (drill.phase === 'followup' || (drill.phase === 'transcript' && drill.followUp)) {
      await answerFollowUp(ctx, drill, text);
      return;
    }
    if (drill.phase === 'transcript') {
      // the corrected transcript: the spoken duration still stands
      const seconds = drill.transcript?.seconds;
      await scoreMain(ctx, drill, text, seconds !== undefined ? { kind: 'voice', chars, seconds, fillers: fillerCount(drill.transcript?.text ?? text) } : { kind: 'text', chars });
      return;
    }
    // thinking or answering: a whole answer is scored; a question is confirmed first; parts are collected
    const route = routeMessage(drill, text, chars);
    if (route === 'score') {
      await submitText(ctx, drill, text);
      return;
    }
    if (route === 'confirm') {
      ctx.session.drill = { ...drill, pending: text };
      await say(ctx, renderConfirmAnswer(text));
      return;
    }
    await addToDraft(ctx, drill, text);
  });

  composer.on('message:voice', async (ctx, next) => {
    const drill = ctx.session.drill;
    if (!drill || !['thinking', 'answering', 'transcript', 'followup'].includes(drill.phase)) return next();
    await onVoice(ctx, drill);
  });

  composer.callbackQuery(/^d:/, async (ctx) => {
    const action = decodeDrill(ctx.callbackQuery.data);
    if (!action) {
      await ack(ctx, log, '这个按钮已失效。');
      return;
    }
    const drill = ctx.session.drill;
    const pressedOn = ctx.callbackQuery.message?.message_id;
    switch (action.kind) {
      case 'picker':
        await ack(ctx, log);
        await say(ctx, renderTypePicker(counts));
        return;
      case 'pick': {
        const question = chooseQuestion(bank, action.type, random);
        if (!question) {
          await ack(ctx, log, '这个题型暂时没有题目。', true);
          return;
        }
        await ack(ctx, log);
        await startSingle(ctx, question);
        return;
      }
      case 'details': {
        const record = [...(ctx.session.drillReviews ?? []), ...(ctx.session.recentReviews ?? [])].find((r) => r.id === action.id);
        if (!record) {
          await ack(ctx, log, '这次点评的详情已经不在了(只保留最近几次)。', true);
          return;
        }
        await ack(ctx, log);
        await say(ctx, renderReviewDetails(record, { heading: '', answerSeconds: timing.answerSeconds, buttons: true }));
        return;
      }
      case 'submit': {
        if (!drill || (drill.phase !== 'thinking' && drill.phase !== 'answering') || (drill.draft?.length ?? 0) === 0) {
          await ack(ctx, log, '没有待提交的作答。');
          return;
        }
        await ack(ctx, log, '好的,开始评分。');
        await submitText(ctx, drill, draftAnswer(drill));
        return;
      }
      case 'keep': {
        if (!drill?.pending || (drill.phase !== 'thinking' && drill.phase !== 'answering')) {
          await ack(ctx, log, '这条消息已经处理过了。');
          return;
        }
        await ack(ctx, log, '好的,算作答。');
        const kept = drill.pending;
        const route = routeMessage({ ...drill, pending: undefined }, '', contentLength(kept));
        if (route === 'score') await submitText(ctx, drill, kept);
        else await addToDraft(ctx, drill, kept);
        return;
      }
      case 'notAnswer': {
        if (!drill?.pending) {
          await ack(ctx, log, '这条消息已经处理过了。');
          return;
        }
        ctx.session.drill = { ...drill, pending: undefined };
        await ack(ctx, log, '好的,这条不计入作答。');
        await say(ctx, renderText('这条不计入作答,计时照常进行。想查资料的话,可以先点题卡上的「放弃本题」,问完再发 /drill 练习。'));
        return;
      }
      case 'retype': {
        if (!drill?.own || drill.cardMessageId !== pressedOn || drill.phase !== 'thinking') {
          await ack(ctx, log, '只有自拟题目在思考阶段可以改题型。');
          return;
        }
        await ack(ctx, log, `题型已改为${action.type}。`);
        const own = await questionFromText(drill.own.question.stem, deps.retriever, action.type);
        const next: DrillSession = { ...drill, own: { question: own, typeSource: 'chosen' } };
        ctx.session.drill = next;
        const card = liveCard(next, clockOf(next, Date.now(), timing));
        if (card && ctx.chat && pressedOn !== undefined) {
          try {
            await editMessage(ctx.api, ctx.chat.id, pressedOn, card, log);
          } catch (error) {
            log.debug('drill.card_edit_failed', { chatId: ctx.chat.id, error });
          }
        }
        return;
      }
      case 'begin': {
        if (!drill || drill.cardMessageId !== pressedOn || (drill.phase !== 'thinking' && drill.phase !== 'answering')) {
          await ack(ctx, log, '这道题已经结束了。');
          return;
        }
        if (clockOf(drill, Date.now(), timing).phase !== 'thinking') {
          await ack(ctx, log, '已经在作答时间了,请直接发送回答。');
          return;
        }
        await ack(ctx, log, `开始作答,计时 ${durationText(timing.answerSeconds)}。`);
        const started = beginAnswering(drill, Date.now());
        await settleCard(ctx, started, 'answering');
        ctx.session.drill = started;
        return;
      }
      case 'quit': {
        if (!drill || drill.cardMessageId !== pressedOn || (drill.phase !== 'thinking' && drill.phase !== 'answering')) {
          await ack(ctx, log, '这道题已经结束了。');
          return;
        }
        await ack(ctx, log);
        if (drill.kind === 'single') {
          await settleCard(ctx, drill, 'abandoned');
          ctx.session.drill = undefined;
          ctx.session.drillReviews = undefined;
          await say(ctx, renderDrillDone('single', questionOf(drill)?.type));
          return;
        }
        await settleCard(ctx, drill, 'skipped');
        // a skipped question is left like a 追问 nobody answered: on to the next one
        const next = afterFollowUp(drill, Date.now());
        ctx.session.drill = next;
        await say(ctx, renderText(`已跳过第 ${drill.index + 1} 题,不计分。`));
        await proceed(ctx, next);
        return;
      }
      case 'miss': {
        const questionId = action.pointId.replace(/-\d+$/, '');
        const point = byId.get(questionId)?.keyPoints.find((p) => p.id === action.pointId);
        const chunk = point ? passagesFor(point, deps.retriever).find((c) => c.id === action.chunkId) : undefined;
        const essay = chunk ? deps.retriever.essay(chunk.essayId) : undefined;
        if (!point || !chunk || !essay || !ctx.chat) {
          await ack(ctx, log, '这段原文已经找不到了(知识库或题库可能已更新)。', true);
          return;
        }
        await ack(ctx, log);
        await sendMessages(ctx.api, ctx.chat.id, renderMissExcerpt(point.point, essay, chunk), { logger: log });
        return;
      }
      case 'answer': {
        const question = byId.get(action.questionId);
        if (!question) {
          await ack(ctx, log, '这道题已经不在题库里了。', true);
          return;
        }
        // the reference answer only after an attempt
        if (!history(ctx).attempts.some((a) => a.questionId === question.id)) {
          await ack(ctx, log, '先作答,答完才能看参考答案。', true);
          return;
        }
        await ack(ctx, log);
        // [n] markers cite key points; numbered in reading order with the source viewer's buttons
        const resolved = modelAnswerWithSources(question, deps.retriever);
        const text = resolved.text;
        const sources: ModelAnswerSource[] = resolved.sources.flatMap(({ n, citation }) => {
          const essay = deps.retriever.essay(citation.essayId);
          return essay ? [{ n, chunkId: citation.chunkId, essay, section: citation.section }] : [];
        });
        await say(ctx, renderModelAnswer(question, text, question.keyPoints.map((p) => p.point), sources));
        return;
      }
      case 'confirm': {
        if (!drill || drill.phase !== 'transcript' || !drill.transcript) {
          await ack(ctx, log, '这段转写已经处理过了。');
          return;
        }
        await ack(ctx, log, '好的,开始评分。');
        if (ctx.chat && pressedOn !== undefined) {
          await ctx.api.editMessageReplyMarkup(ctx.chat.id, pressedOn, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
        }
        const { text, seconds } = drill.transcript;
        if (drill.followUp) await answerFollowUp(ctx, drill, text);
        else await scoreMain(ctx, drill, text, { kind: 'voice', chars: contentLength(text), seconds, fillers: fillerCount(text) });
        return;
      }
      case 'edit': {
        if (!drill || drill.phase !== 'transcript') {
          await ack(ctx, log, '这段转写已经处理过了。');
          return;
        }
        await ack(ctx, log);
        await say(ctx, renderText('请把修改后的完整回答用文字发给我(可以复制上面的转写再改),收到后直接评分。'));
        return;
      }
      case 'skip': {
        if (!drill || !drill.followUp || (drill.phase !== 'followup' && drill.phase !== 'transcript')) {
          await ack(ctx, log, '这个追问已经结束了。');
          return;
        }
        await ack(ctx, log);
        await answerFollowUp(ctx, drill, undefined);
        return;
      }
      case 'stats':
        await ack(ctx, log);
        await sendStats(ctx);
        return;
      case 'review':
        await ack(ctx, log);
        await startReview(ctx);
        return;
    }
  });

  return {
    name: 'drill',
    commands: DRILL_COMMANDS,
    composer,
    timers,
    dispose: () => timers.dispose(),
  };
}

/** The feature as main.ts and the terminal chat wire it: the app's retriever and model, voice when configured. */
export function drillFeatureFor(
  app: { config: Config; index: { retriever: Retriever }; chat?: ChatModel; bank?: InterviewQuestion[] },
  logger: Logger,
  overrides: Partial<DrillFeatureDeps> = {},
): DrillFeature {
  const openai = app.config.openai;
  const transcriber = openai?.transcriptionModel ? createOpenAITranscriber(createOpenAIClient(openai), openai.transcriptionModel) : undefined;
  return drillFeature({ retriever: app.index.retriever, chat: app.chat, bank: app.bank, logger, transcriber, telegramApiRoot: app.config.telegramApiRoot, ...overrides });
}
