import { describe, expect, it } from 'vitest';
import { fakeReview } from '../helpers/review.ts';
import { drillStats, emptyHistory, loadBank, nextReviewQuestion, recordAttempt, withoutLastAttempt, type Review } from '../../src/interview/index.ts';
import { nextSchedule } from '../../src/interview/progress.ts';

const bank = loadBank();

const review = (questionId: string, total: number, d2?: number): Review => fakeReview(questionId, total, { d2 });

describe('progress', () => {
  const day1 = new Date('2026-11-01T08:00:00Z');

  it('records attempts and reports averages by dimension and type, a trend and the weakest area', () => {
    let history = emptyHistory();
    history = recordAttempt(history, review('zh-01', 80), day1);
    history = recordAttempt(history, review('yj-01', 40, 2), day1);
    history = recordAttempt(history, review('zh-03', 70), day1);
    const stats = drillStats(history);
    expect(stats.attempts).toBe(3);
    expect(stats.averageTotal).toBeCloseTo(63.3, 1);
    expect(stats.trend.map((t) => t.total)).toEqual([80, 40, 70]);
    expect(stats.byType.find((t) => t.type === '应急应变')?.average).toBe(40);
    expect(stats.weakest?.name).toContain('应急应变');
    expect(stats.bands).toEqual({ 好: 1, 中: 1, 差: 1 });
  });

  it('schedules a failed question for tomorrow and a good one further out (SM-2)', () => {
    const fail = nextSchedule(undefined, 30, day1);
    expect(new Date(fail.due).getTime() - day1.getTime()).toBe(24 * 3600 * 1000);
    const first = nextSchedule(undefined, 90, day1);
    const second = nextSchedule(first, 90, day1);
    const third = nextSchedule(second, 90, day1);
    expect([first.interval, second.interval]).toEqual([1, 6]);
    expect(third.interval).toBeGreaterThan(6);
  });

  it('reviews the weakest due question first, then untried questions of the weakest type', () => {
    let history = emptyHistory();
    history = recordAttempt(history, review('zh-01', 60), day1);
    history = recordAttempt(history, review('yj-01', 30, 2), day1);
    const later = new Date(day1.getTime() + 2 * 24 * 3600 * 1000);
    expect(nextReviewQuestion(history, bank, later).question.id).toBe('yj-01');
    const now = new Date(day1.getTime() + 1000);
    const next = nextReviewQuestion(history, bank, now);
    expect(next.question.type).toBe('应急应变');
    expect(next.question.id).not.toBe('yj-01');
  });
});

describe('review with one type practised', () => {
  it('offers another type instead of calling the only one practised the weakest', () => {
    const day1 = new Date('2026-11-01T08:00:00Z');
    let history = emptyHistory();
    history = recordAttempt(history, review('zh-01', 70), day1);
    const next = nextReviewQuestion(history, bank, new Date(day1.getTime() + 1000));
    expect(next.question.type).not.toBe('综合分析');
    expect(next.reason).toContain('只练过综合分析题');
    expect(next.reason).not.toContain('最弱');
  });
});

describe('review right after practice', () => {
  it('does not offer the question just practised again at once', () => {
    const day1 = new Date('2026-11-01T08:00:00Z');
    let history = emptyHistory();
    history = recordAttempt(history, review('yj-01', 30, 2), day1);
    const soon = new Date(day1.getTime() + 60 * 1000);
    expect(nextReviewQuestion(history, bank, soon).question.id).not.toBe('yj-01');
  });
});

describe('deleting a wrong attempt', () => {
  it('removes the last attempt and rebuilds that question\'s schedule from the rest', () => {
    const day1 = new Date('2026-11-01T08:00:00Z');
    const day2 = new Date('2026-11-02T08:00:00Z');
    let history = emptyHistory();
    history = recordAttempt(history, review('zh-01', 80), day1);
    const before = history;
    history = recordAttempt(history, review('zh-01', 20), day2);
    const { history: after, removed } = withoutLastAttempt(history);
    expect(removed?.total).toBe(20);
    expect(after.attempts).toEqual(before.attempts);
    expect(after.schedule['zh-01']).toEqual(before.schedule['zh-01']);
    expect(withoutLastAttempt(withoutLastAttempt(after).history).removed).toBeUndefined();
  });
});
