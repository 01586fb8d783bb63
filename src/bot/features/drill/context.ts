// What every part of the drill feature shares: the dependencies, the question bank, the clock
// settings, the countdowns, and the few helpers that touch the question card and the chat.
//
// The drill lives in the session as plain data (src/interview/drill.ts: every deadline is a
// timestamp), so a restart in the middle of a drill resumes it: the next message is still the
// answer to that question.
import type { ChatModel } from '../../../answer/llm.ts';
import { clockOf, currentQuestionId, type DrillClock, type DrillSession, type Random } from '../../../interview/drill.ts';
import { readDrillSession, readHistory } from '../../../interview/session-schema.ts';
import { emptyHistory, loadBank, OWN_QUESTION_ID, QUESTION_TYPES, type DrillHistory, type InterviewQuestion, type QuestionType } from '../../../interview/index.ts';
import type { Logger } from '../../../log.ts';
import type { Retriever } from '../../../retrieval/retriever.ts';
import { sessionKey, type BotContext } from '../../context.ts';
import type { DrillDeadlineStore } from '../../drill-deadlines.ts';
import type { BotHost } from '../../own-update.ts';
import { renderText, type OutMessage } from '../../render.ts';
import { renderCard, type CardStatus, type ReviewRecord } from '../../render-drill.ts';
import { editMessage, reply } from '../../send.ts';
import type { Transcriber } from '../../../interview/transcriber.ts';
import { DEFAULT_TIMING, DrillTimers, type DrillTiming } from './timers.ts';
import { startTyping } from '../../typing.ts';

declare module '../../context.ts' {
  interface SessionData {
    /** the drill in progress (a single question or a mock) */
    drill?: DrillSession;
    /** the scores of every attempt and the spaced-repetition schedule (answers and reviews: ctx.practice) */
    history?: DrillHistory;
    /** reviews of the drill in progress: the 追问 needs the misses, the mock shows them at the end */
    drillReviews?: ReviewRecord[];
  }
}

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
  /**
   * Where drafts' time-up moments are kept outside the session (see deadlines.ts): with it,
   * a draft whose time runs out while the bot is down is submitted once it is back.
   */
  deadlines?: DrillDeadlineStore;
  /** how often the deadline store is polled (default 15 s) */
  deadlinePollMs?: number;
}

const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

/** The shared state and helpers, handed to the commands, the answer handling and the buttons. */
export interface DrillContext {
  readonly deps: DrillFeatureDeps;
  readonly timing: DrillTiming;
  readonly bank: InterviewQuestion[];
  readonly byId: Map<string, InterviewQuestion>;
  readonly random: Random;
  readonly log: Logger;
  /** voice answers are on (a transcriber is configured) */
  readonly voice: boolean;
  readonly staleAfterMs: number;
  /** what scoreAnswer needs besides the question and the answer */
  readonly examiner: { chat?: ChatModel; retriever: Retriever; logger: Logger };
  /** how many questions the bank has of each type, for the type picker */
  readonly counts: Record<QuestionType, number>;
  readonly timers: DrillTimers;
  /** the bot the feature is plugged into (set when it is attached): time-up submissions go through it */
  host?: BotHost;
  /** the question the drill is on: from the bank, or the candidate's own */
  questionOf(drill: DrillSession): InterviewQuestion | undefined;
  /** the card as it is while the clock runs (thinking or answering) */
  liveCard(drill: DrillSession, clock: DrillClock): OutMessage | undefined;
  /** the chat's drill history as the session keeps it (scores, schedule), or an empty one */
  history(ctx: BotContext): DrillHistory;
  say(ctx: BotContext, messages: OutMessage[]): Promise<void>;
  /** shows "typing…" until the returned function is called */
  startTyping(ctx: BotContext): () => void;
  /** Edits the card (e.g. "已收到回答"); a card that cannot be edited any more is no reason to fail. */
  settleCard(ctx: BotContext, drill: DrillSession, status: CardStatus): Promise<void>;
  /** Sends the card of the drill's current question and keeps its message id in the session. */
  sendCard(ctx: BotContext, drill: DrillSession): Promise<void>;
}

export function createDrillContext(deps: DrillFeatureDeps): DrillContext {
  const timing: DrillTiming = { ...DEFAULT_TIMING, ...deps.timing };
  const bank = deps.bank ?? loadBank();
  const byId = new Map(bank.map((q) => [q.id, q]));
  const log = deps.logger;
  const voice = deps.transcriber !== undefined;
  const typingIntervalMs = deps.typingIntervalMs ?? 4500;
  const counts = Object.fromEntries(QUESTION_TYPES.map((t) => [t, bank.filter((q) => q.type === t).length])) as Record<QuestionType, number>;

  const questionOf = (drill: DrillSession): InterviewQuestion | undefined =>
    currentQuestionId(drill) === OWN_QUESTION_ID ? drill.own?.question : byId.get(currentQuestionId(drill) ?? '');

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
      draftParts: drill.draft?.length,
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

  const say = async (ctx: BotContext, messages: OutMessage[]): Promise<void> => {
    await reply(ctx, messages, ctx.log);
  };

  function typing(ctx: BotContext): () => void {
    return startTyping(ctx.api, ctx.chat?.id, typingIntervalMs, ctx.log, 'drill.typing_failed');
  }

  async function settleCard(ctx: BotContext, drill: DrillSession, status: CardStatus): Promise<void> {
    const key = sessionKey(ctx);
    if (key) await timers.stop(key);
    if (drill.cardMessageId === undefined || !ctx.chat) return;
    const message = cardFor(drill, status, clockOf(drill, Date.now(), timing));
    if (!message) return;
    try {
      await editMessage(ctx.api, ctx.chat.id, drill.cardMessageId, message, ctx.log);
    } catch (error) {
      ctx.log.debug('drill.card_edit_failed', { error });
    }
  }

  async function sendCard(ctx: BotContext, drill: DrillSession): Promise<void> {
    const message = liveCard(drill, clockOf(drill, Date.now(), timing));
    if (!message) {
      ctx.session.drill = undefined;
      await say(ctx, renderText('这道题已经不在题库里了,请发送 /drill 换一道题。'));
      return;
    }
    const [sent] = await reply(ctx, [message], ctx.log);
    ctx.session.drill = { ...drill, cardMessageId: sent?.message_id, reminded: false };
  }

  return {
    deps,
    timing,
    bank,
    byId,
    random: deps.random ?? Math.random,
    log,
    voice,
    staleAfterMs: deps.staleAfterMs ?? STALE_AFTER_MS,
    examiner: { chat: deps.chat, retriever: deps.retriever, logger: log },
    counts,
    timers,
    questionOf,
    liveCard,
    history: (ctx) => readHistory(ctx.session.history) ?? emptyHistory(),
    say,
    startTyping: typing,
    settleCard,
    sendCard,
  };
}
