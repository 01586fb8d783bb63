// Drill history, statistics and spaced repetition (SM-2) over past attempts. Pure functions
// over plain data, so the bot can keep the history in its session store.
import { DIMENSIONS, CORE_ABILITY } from './scorer.ts';
import type { AttemptDetail } from './review-record.ts';
import { OWN_QUESTION_ID, QUESTION_TYPES, type Band, type DimensionKey, type InterviewQuestion, type QuestionType, type Review, type ScoringMode } from './types.ts';

/** What a scored answer leaves behind: its scores, without the review's texts. */
export interface ScoreSummary {
  questionId?: string;
  type: QuestionType;
  total: number;
  band: Band;
  dims: Record<DimensionKey, number>;
  mode: ScoringMode;
}

/** One scored answer in the practice history. */
export interface Attempt extends ScoreSummary {
  missed: string[];
  at: string;
  /** the answer and its review, kept for the most recent DETAILED_ATTEMPTS_KEPT attempts */
  detail?: AttemptDetail;
}

export function summaryOf(review: Review): ScoreSummary {
  return {
    questionId: review.questionId,
    type: review.type,
    total: review.total,
    band: review.band,
    dims: Object.fromEntries(review.dimensions.map((d) => [d.key, d.score])) as Record<DimensionKey, number>,
    mode: review.mode,
  };
}

export interface ReviewSchedule {
  ease: number;
  interval: number;
  reps: number;
  due: string;
  last: number;
}

export interface DrillHistory {
  attempts: Attempt[];
  schedule: Record<string, ReviewSchedule>;
}

export const MAX_ATTEMPTS_KEPT = 200;
/** Answers and reviews are long: older attempts keep their scores only, so a session stays small. */
export const DETAILED_ATTEMPTS_KEPT = 30;
const DAY = 24 * 60 * 60 * 1000;

export function emptyHistory(): DrillHistory {
  return { attempts: [], schedule: {} };
}

export function attemptOf(review: Review, now: Date): Attempt {
  return { ...summaryOf(review), missed: review.misses.map((m) => m.pointId), at: now.toISOString() };
}

export function nextSchedule(previous: ReviewSchedule | undefined, total: number, now: Date): ReviewSchedule {
  const quality = Math.round((total / 100) * 5);
  const ease = Math.max(1.3, (previous?.ease ?? 2.5) + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02));
  let reps = previous?.reps ?? 0;
  let interval: number;
  if (quality < 3) {
    reps = 0;
    interval = 1;
  } else {
    reps += 1;
    interval = reps === 1 ? 1 : reps === 2 ? 6 : Math.round((previous?.interval ?? 1) * ease);
  }
  return { ease, interval, reps, due: new Date(now.getTime() + interval * DAY).toISOString(), last: total };
}

export function recordAttempt(history: DrillHistory, review: Review, now: Date, detail?: AttemptDetail): DrillHistory {
  const attempt: Attempt = { ...attemptOf(review, now), ...(detail ? { detail } : {}) };
  const schedule = { ...history.schedule };
  if (review.questionId && review.questionId !== OWN_QUESTION_ID) schedule[review.questionId] = nextSchedule(schedule[review.questionId], review.total, now);
  const attempts = [...history.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT);
  const firstDetailed = attempts.length - DETAILED_ATTEMPTS_KEPT;
  return { attempts: attempts.map((a, i) => (i < firstDetailed && a.detail ? withoutDetail(a) : a)), schedule };
}

function withoutDetail(attempt: Attempt): Attempt {
  const { detail: _detail, ...rest } = attempt;
  return rest;
}

/**
 * The history without its last attempt (a wrong one: a question scored as an answer, a test run).
 * That question's review schedule is rebuilt from the attempts that remain.
 */
export function withoutLastAttempt(history: DrillHistory): { history: DrillHistory; removed?: Attempt } {
  const last = history.attempts[history.attempts.length - 1];
  return last ? withoutAttempt(history, last.at) : { history };
}

/** The history without the attempt made at `at`; that question's schedule is rebuilt from the rest. */
export function withoutAttempt(history: DrillHistory, at: string): { history: DrillHistory; removed?: Attempt } {
  const removed = history.attempts.find((a) => a.at === at);
  if (!removed) return { history };
  const attempts = history.attempts.filter((a) => a !== removed);
  const schedule = { ...history.schedule };
  const id = removed.questionId;
  if (id && id !== OWN_QUESTION_ID) {
    delete schedule[id];
    for (const a of attempts) if (a.questionId === id) schedule[id] = nextSchedule(schedule[id], a.total, new Date(a.at));
  }
  return { history: { attempts, schedule }, removed };
}

export interface DrillStats {
  attempts: number;
  averageTotal: number;
  byDimension: Array<{ key: DimensionKey; name: string; average: number }>;
  byType: Array<{ type: QuestionType; count: number; average: number; coreAverage: number }>;
  trend: Array<{ label: string; total: number }>;
  /** the area to work on: the lowest dimension, or the type with the lowest core-ability score */
  weakest?: { kind: 'dimension' | 'type'; name: string; average: number };
  bands: Record<Band, number>;
}

const average = (values: number[]): number => (values.length === 0 ? 0 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10);

export function drillStats(history: DrillHistory): DrillStats {
  const { attempts } = history;
  const byDimension = DIMENSIONS.map((d) => ({ key: d.key, name: d.key === 'D2' ? '核心能力' : d.name, average: average(attempts.map((a) => a.dims[d.key])) }));
  const byType = QUESTION_TYPES.map((type) => {
    const ofType = attempts.filter((a) => a.type === type);
    return { type, count: ofType.length, average: average(ofType.map((a) => a.total)), coreAverage: average(ofType.map((a) => a.dims.D2)) };
  }).filter((t) => t.count > 0);
  const trend = attempts.slice(-30).map((a, i, list) => ({ label: `第${attempts.length - list.length + i + 1}次`, total: a.total }));
  let weakest: DrillStats['weakest'];
  if (attempts.length > 0) {
    const weakType = [...byType].sort((a, b) => a.coreAverage - b.coreAverage)[0];
    const weakDim = [...byDimension].sort((a, b) => a.average - b.average)[0];
    weakest =
      byType.length > 1 && weakType && weakType.coreAverage <= weakDim.average
        ? { kind: 'type', name: `${weakType.type}(${CORE_ABILITY[weakType.type]})`, average: weakType.coreAverage }
        : { kind: 'dimension', name: weakDim.name, average: weakDim.average };
  }
  const bands: Record<Band, number> = { 好: 0, 中: 0, 差: 0 };
  for (const a of attempts) bands[a.band] += 1;
  return { attempts: attempts.length, averageTotal: average(attempts.map((a) => a.total)), byDimension, byType, trend, weakest, bands };
}

/**
 * The next question to review: a due one with the lowest last score; otherwise an untried
 * question of the weakest type; otherwise the lowest-scored question.
 */
export function nextReviewQuestion(history: DrillHistory, bank: InterviewQuestion[], now: Date): { question: InterviewQuestion; reason: string } {
  const byId = new Map(bank.map((q) => [q.id, q]));
  // the question just practised (within the hour) is not offered again at once
  const lastAttempt = history.attempts[history.attempts.length - 1];
  const last = lastAttempt && now.getTime() - new Date(lastAttempt.at).getTime() < 3600 * 1000 ? lastAttempt.questionId : undefined;
  const due = Object.entries(history.schedule)
    .filter(([id, s]) => byId.has(id) && id !== last && new Date(s.due).getTime() <= now.getTime())
    .sort((a, b) => a[1].last - b[1].last);
  if (due.length > 0) {
    const [id, s] = due[0];
    return { question: byId.get(id)!, reason: `这道题上次得分 ${s.last},已到复习时间。` };
  }
  const stats = drillStats(history);
  const tried = new Set(history.attempts.map((a) => a.questionId));
  const weakType = [...stats.byType].sort((a, b) => a.coreAverage - b.coreAverage)[0]?.type;
  const untried = bank.filter((q) => !tried.has(q.id));
  // with one type practised there is nothing to compare it with: "weakest" would be the only one
  if (stats.byType.length === 1) {
    const only = stats.byType[0].type;
    const other = untried.find((q) => q.type !== only);
    if (other) return { question: other, reason: `你目前只练过${only}题,换一类:先练一道${other.type}题。` };
  }
  const pick = untried.find((q) => q.type === weakType) ?? untried[0];
  if (pick) {
    return { question: pick, reason: weakType ? `你的${weakType}题目前最弱,先练这一类的新题。` : '先从还没练过的题目开始。' };
  }
  const lowest = Object.entries(history.schedule)
    .filter(([id]) => id !== last || bank.length === 1)
    .sort((a, b) => a[1].last - b[1].last)[0];
  const question = (lowest && byId.get(lowest[0])) ?? bank[0];
  return { question, reason: '所有题目都练过了,再练一次得分最低的题。' };
}
