// The drill as a small state machine over plain data, so it can live in a session store and
// survive a restart: every deadline is a timestamp, nothing depends on a running timer.
import { BAND_FLOORS, bandOf } from './scorer.ts';
import type { Band, InterviewQuestion, QuestionType, Review } from './types.ts';
import { summaryOf, type ScoreSummary } from './progress.ts';
import { OWN_QUESTION_ID } from './types.ts';

export const THINKING_SECONDS = 60;
export const ANSWER_SECONDS = 180;
export const MOCK_SECONDS = 15 * 60;
export const MOCK_QUESTIONS = 3;
/** the reminder goes out when this much answering time is left */
export const REMINDER_SECONDS = 30;
/**
 * The examiner calls time at 110% of the answer time (the scorer counts nothing said after it):
 * past that, a draft still open is submitted as it stands.
 */
export const GRACE_SHARE = 0.1;

export type DrillPhase = 'thinking' | 'answering' | 'transcript' | 'followup' | 'done';

/** A question of the drill, scored (a mock's score sheet is made of these). */
export type DrillResult = ScoreSummary & { questionId: string };

export interface DrillSession {
  kind: 'single' | 'mock';
  questionIds: string[];
  index: number;
  phase: DrillPhase;
  /** ms since epoch */
  startedAt: number;
  phaseStartedAt: number;
  /** mock: the whole session's end */
  endsAt?: number;
  results: DrillResult[];
  /** the 追问 being answered */
  followUp?: string;
  /** a voice answer's transcript waiting for the user to confirm or correct */
  transcript?: { text: string; seconds: number };
  /** the message showing the question card, edited for the countdown */
  cardMessageId?: number;
  reminded?: boolean;
  /** parts of an answer sent as several messages, submitted together */
  draft?: string[];
  /** a message that looked like a question, waiting for "is this your answer?" */
  pending?: string;
  /** a question the candidate brought (id "free"), with how its type was decided */
  own?: { question: InterviewQuestion; typeSource: 'detected' | 'chosen' };
}

export interface DrillClock {
  phase: DrillPhase;
  /** seconds left in the current phase (thinking or answering); negative when over time */
  phaseLeft: number;
  /** mock only: seconds left for the whole session */
  sessionLeft?: number;
  /** the answer time is nearly over: remind once */
  remind: boolean;
  /** the answer time and its grace are over: a draft waiting to be submitted is submitted now */
  timeUp: boolean;
}

/** A small deterministic PRNG step so tests can fix the choice of questions. */
export type Random = () => number;

function pick<T>(items: T[], random: Random): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length) % items.length];
}

// ---- what a message during a drill is ----------------------------------------------------------

/** A message this long, with no draft begun, is a whole answer and is scored at once. */
export const WHOLE_ANSWER_CHARS = 200;

const QUESTION_LIKE = /(?:[?？]\s*$|^(?:请问|请教|问一下|想问|什么是|啥是|怎么理解|如何理解)|(?:是什么|是啥|什么意思|是指什么|有哪些|为什么|怎么办)[?？。]?\s*$)/;

/** A short message that asks something ("四议两公开是什么?"): it is confirmed before it counts as an answer. */
export function looksLikeQuestion(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length <= 60 && QUESTION_LIKE.test(compact);
}

export type MessageRoute = 'confirm' | 'score' | 'draft';

/** What to do with a message sent while a question is being thought about or answered (`confirmed`: the user said it is an answer). */
export function routeMessage(session: DrillSession, text: string, chars: number, confirmed = false): MessageRoute {
  if (hasDraft(session)) return 'draft';
  if (!confirmed && looksLikeQuestion(text)) return 'confirm';
  return chars >= WHOLE_ANSWER_CHARS ? 'score' : 'draft';
}

export function withDraft(session: DrillSession, text: string): DrillSession {
  return { ...session, draft: [...(session.draft ?? []), text], pending: undefined };
}

/** The draft as one answer, its parts in the order they were sent. */
export function draftAnswer(session: DrillSession): string {
  return (session.draft ?? []).join('\n');
}

export function startDrill(question: InterviewQuestion, now: number, typeSource?: 'detected' | 'chosen'): DrillSession {
  const own = question.id === OWN_QUESTION_ID ? { question, typeSource: typeSource ?? 'detected' } : undefined;
  return { kind: 'single', questionIds: [question.id], index: 0, phase: 'thinking', startedAt: now, phaseStartedAt: now, results: [], ...(own ? { own } : {}) };
}

/** Three questions in 15 minutes, as in the 基层类 pattern: one 综合分析, then two other types. */
export function startMock(bank: InterviewQuestion[], now: number, random: Random = Math.random, recent: ReadonlySet<string> = new Set()): DrillSession {
  const plan: QuestionType[][] = [['综合分析'], ['组织管理', '应急应变'], ['人际沟通', '现场模拟', '应急应变']];
  const chosen: string[] = [];
  for (const types of plan) {
    const fitting = bank.filter((q) => types.includes(q.type) && !chosen.includes(q.id));
    // questions just practised are left out while there are others
    const fresh = fitting.filter((q) => !recent.has(q.id));
    const question = pick(fresh.length > 0 ? fresh : fitting, random);
    if (question) chosen.push(question.id);
  }
  return {
    kind: 'mock',
    questionIds: chosen.slice(0, MOCK_QUESTIONS),
    index: 0,
    phase: 'thinking',
    startedAt: now,
    phaseStartedAt: now,
    endsAt: now + MOCK_SECONDS * 1000,
    results: [],
  };
}

export function chooseQuestion(bank: InterviewQuestion[], type: QuestionType | undefined, random: Random = Math.random): InterviewQuestion | undefined {
  return pick(type ? bank.filter((q) => q.type === type) : bank, random);
}

export function currentQuestionId(session: DrillSession): string | undefined {
  return session.questionIds[session.index];
}

/** The lengths the clock runs on; the bot may shorten them (tests) or use the 2-minute mode. */
export interface ClockTimes {
  thinkingSeconds: number;
  answerSeconds: number;
  /** the reminder goes out when this much answer time is left */
  reminderSeconds: number;
}

export const DEFAULT_CLOCK: ClockTimes = { thinkingSeconds: THINKING_SECONDS, answerSeconds: ANSWER_SECONDS, reminderSeconds: REMINDER_SECONDS };

/** Where a drill stands at `now`: the thinking minute runs into the answer time on its own. */
export function clockOf(session: DrillSession, now: number, times: ClockTimes = DEFAULT_CLOCK): DrillClock {
  let phase = session.phase;
  const elapsed = (now - session.phaseStartedAt) / 1000;
  let phaseLeft = 0;
  if (phase === 'thinking') {
    phaseLeft = times.thinkingSeconds - elapsed;
    if (phaseLeft <= 0) {
      phase = 'answering';
      phaseLeft = times.answerSeconds + phaseLeft;
    }
  } else if (phase === 'answering') {
    phaseLeft = times.answerSeconds - elapsed;
  }
  const sessionLeft = session.endsAt !== undefined ? (session.endsAt - now) / 1000 : undefined;
  const remind = phase === 'answering' && !session.reminded && phaseLeft <= times.reminderSeconds;
  const timeUp = phase === 'answering' && phaseLeft <= -graceSeconds(times);
  return { phase, phaseLeft, sessionLeft, remind, timeUp };
}

/**
 * When the answer time and its grace are over for the question on the card (the thinking minute
 * runs into the answer time); undefined when the clock is not running (追问, transcript, done).
 */
export function timeUpAt(session: DrillSession, times: ClockTimes = DEFAULT_CLOCK): number | undefined {
  const answerAndGrace = times.answerSeconds + graceSeconds(times);
  if (session.phase === 'thinking') return session.phaseStartedAt + (times.thinkingSeconds + answerAndGrace) * 1000;
  if (session.phase === 'answering') return session.phaseStartedAt + answerAndGrace * 1000;
  return undefined;
}

/** How long past the answer time the examiner lets the candidate finish. */
export function graceSeconds(times: Pick<ClockTimes, 'answerSeconds'>): number {
  return times.answerSeconds * GRACE_SHARE;
}

export function hasDraft(session: DrillSession): boolean {
  return (session.draft?.length ?? 0) > 0;
}

/** The user starts answering before the thinking minute is over. */
export function beginAnswering(session: DrillSession, now: number): DrillSession {
  if (session.phase !== 'thinking') return session;
  return { ...session, phase: 'answering', phaseStartedAt: now };
}

export function resultOf(review: Review): DrillResult {
  return { ...summaryOf(review), questionId: review.questionId ?? OWN_QUESTION_ID };
}

/**
 * After a review: ask the 追问 when there is one (once per question), otherwise move to the
 * next question or finish.
 */
export function afterReview(session: DrillSession, review: Review, now: number): DrillSession {
  const results = [...session.results, resultOf(review)];
  if (review.followUp && session.phase !== 'followup') {
    return { ...session, results, phase: 'followup', followUp: review.followUp, phaseStartedAt: now, transcript: undefined };
  }
  return advance({ ...session, results, followUp: undefined, transcript: undefined }, now);
}

/** Leaves the 追问 (answered or skipped) and moves on. */
export function afterFollowUp(session: DrillSession, now: number): DrillSession {
  return advance({ ...session, followUp: undefined, transcript: undefined }, now);
}

function advance(session: DrillSession, now: number): DrillSession {
  const next = session.index + 1;
  const outOfTime = session.endsAt !== undefined && now >= session.endsAt;
  if (next >= session.questionIds.length || outOfTime) return { ...session, phase: 'done', phaseStartedAt: now };
  return { ...session, index: next, phase: 'thinking', phaseStartedAt: now, reminded: false, cardMessageId: undefined };
}

export interface MockReport {
  /** element of the real score sheet → average 0–10 and band */
  elements: Array<{ name: string; score: number | null; band: Band | null }>;
  total: number;
  band: Band;
  questions: Array<{ questionId: string; type: QuestionType; total: number; band: Band }>;
  /** seconds used of the 15 minutes */
  seconds: number;
}

const ELEMENT_OF_TYPE: Record<QuestionType, string> = {
  综合分析: '综合分析能力',
  组织管理: '计划组织协调能力',
  应急应变: '应变能力',
  人际沟通: '人际交往的意识与技巧',
  现场模拟: '人际交往的意识与技巧',
};

/** An element scored 0–10 is banded on the same floors as a total of 100. */
export function bandOfElement(score: number): Band {
  return bandOf(Math.round(score * 100) / 10);
}

/** The element bands as the score sheet states them: 好 ≥7.5,中 4.5–7.4,差 <4.5. */
export const ELEMENT_BANDS_TEXT = `好 ≥${BAND_FLOORS.good / 10},中 ${BAND_FLOORS.fair / 10}–${(BAND_FLOORS.good - 1) / 10},差 <${BAND_FLOORS.fair / 10}`;

/** A session report laid out like the real 评分表: each element scored from its questions. */
export function mockReport(session: DrillSession, now: number): MockReport {
  // the main answer's result is the first one recorded per question
  const byQuestion = new Map<string, DrillResult>();
  for (const r of session.results) if (!byQuestion.has(r.questionId)) byQuestion.set(r.questionId, r);
  const results = [...byQuestion.values()];
  const elementNames = ['综合分析能力', '计划组织协调能力', '应变能力', '人际交往的意识与技巧', '言语表达能力'];
  const elements = elementNames.map((name) => {
    const scores =
      name === '言语表达能力' ? results.map((r) => r.dims.D5) : results.filter((r) => ELEMENT_OF_TYPE[r.type] === name).map((r) => r.dims.D2);
    if (scores.length === 0) return { name, score: null, band: null };
    const score = Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10;
    return { name, score, band: bandOfElement(score) };
  });
  const total = results.length === 0 ? 0 : Math.round((results.reduce((a, r) => a + r.total, 0) / results.length) * 10) / 10;
  return {
    elements,
    total,
    band: bandOf(total),
    questions: results.map((r) => ({ questionId: r.questionId, type: r.type, total: r.total, band: r.band })),
    seconds: Math.round((now - session.startedAt) / 1000),
  };
}
