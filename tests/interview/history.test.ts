// The practice record's pure parts: old sessions load, a bad detail costs only the detail, only
// the latest attempts keep their texts, any attempt can be deleted (its schedule rebuilt), and
// 常漏要点 counts repeated misses.
import { describe, expect, it } from 'vitest';
import { emptyHistory, loadBank, recordAttempt, withoutAttempt, type Review } from '../../src/interview/index.ts';
import { DETAILED_ATTEMPTS_KEPT } from '../../src/interview/progress.ts';
import { findAttempt, attemptId, historyPage, oftenMissed } from '../../src/interview/history.ts';
import { attemptDetailOf } from '../../src/interview/review-record.ts';
import { readHistory } from '../../src/interview/session-schema.ts';

const bank = loadBank();
const byId = new Map(bank.map((q) => [q.id, q]));
const q = bank.find((b) => b.id === 'zh-01')!;
const review = (total: number, missed = [q.keyPoints[1]!]): Review => ({
  questionId: q.id,
  question: q.stem,
  type: q.type,
  total,
  band: '中',
  dimensions: [],
  points: [],
  hits: [],
  misses: missed.map((k) => ({ pointId: k.id, point: k.point, weight: k.weight })),
  feedback: ['具体一点'],
  mode: 'offline',
  notices: [],
  cliches: [],
  moves: [{ point: '分析原因和根源', made: false }],
  modelAnswer: '',
});
const detail = (r: Review, answer = '我的回答') => attemptDetailOf(r, answer, { kind: 'text', chars: answer.length });

describe('stored attempts', () => {
  it('an old session (attempts without texts) loads; a broken detail is dropped, the attempt kept', () => {
    const old = { questionId: 'zh-01', type: '综合分析', total: 60, band: '中', dims: { D1: 6, D2: 6, D3: 6, D4: 6, D5: 6 }, missed: [], mode: 'offline', at: '2025-01-01T00:00:00.000Z' };
    const broken = { ...old, at: '2025-01-02T00:00:00.000Z', detail: { answer: 42 } };
    const good = { ...old, at: '2025-01-03T00:00:00.000Z', detail: { ...detail(review(60), '原文'), review: { ...detail(review(60)).review, dimensions: [{ key: 'D1', name: '审题立意', score: 6, max: 10, weight: 1.5 }] } } };
    const history = readHistory({ attempts: [old, broken, good], schedule: {} })!;
    expect(history.attempts).toHaveLength(3);
    expect(history.attempts[0]!.detail).toBeUndefined();
    expect(history.attempts[1]!.detail).toBeUndefined();
    expect(history.attempts[2]!.detail?.answer).toBe('原文');
  });

  it(`only the latest ${DETAILED_ATTEMPTS_KEPT} attempts keep their answer and review`, () => {
    let history = emptyHistory();
    for (let i = 0; i < DETAILED_ATTEMPTS_KEPT + 5; i += 1) history = recordAttempt(history, review(50), new Date(Date.UTC(2025, 0, 1 + i)), detail(review(50)));
    expect(history.attempts.filter((a) => a.detail)).toHaveLength(DETAILED_ATTEMPTS_KEPT);
    expect(history.attempts.at(-1)!.detail).toBeDefined();
    expect(history.attempts[0]!.detail).toBeUndefined();
  });

  it('any attempt can be deleted; the schedule is rebuilt from the rest; pages are newest first', () => {
    let history = emptyHistory();
    for (const [i, total] of [30, 90, 40].entries()) history = recordAttempt(history, review(total), new Date(Date.UTC(2025, 0, 1 + i)), detail(review(total)));
    const middle = history.attempts[1]!;
    expect(findAttempt(history, attemptId(middle.at))).toBe(middle);
    const after = withoutAttempt(history, middle.at).history;
    expect(after.attempts.map((a) => a.total)).toEqual([30, 40]);
    expect(after.schedule['zh-01']!.last).toBe(40);
    expect(historyPage(after, byId, 0).attempts.map((a) => a.attempt.total)).toEqual([40, 30]);
  });

  it('常漏要点: a point missed twice or more, and a move left out twice or more', () => {
    let history = emptyHistory();
    history = recordAttempt(history, review(40), new Date('2025-01-01'), detail(review(40)));
    history = recordAttempt(history, review(45, [q.keyPoints[1]!, q.keyPoints[2]!]), new Date('2025-01-02'), detail(review(45)));
    const found = oftenMissed(history, byId);
    expect(found.points.map((p) => p.point.id)).toEqual([q.keyPoints[1]!.id]);
    expect(found.points[0]).toMatchObject({ missed: 2, attempts: 2 });
    expect(found.moves).toEqual([{ type: '综合分析', move: '分析原因和根源', missed: 2, attempts: 2 }]);
  });
});
