import { describe, expect, it } from 'vitest';
import { fakeReview } from '../helpers/review.ts';
import {
  afterFollowUp,
  afterReview,
  beginAnswering,
  clockOf,
  currentQuestionId,
  mockReport,
  startDrill,
  startMock,
} from '../../src/interview/drill.ts';
import { loadBank, type Review } from '../../src/interview/index.ts';

const bank = loadBank();
const t0 = 1_800_000_000_000;

const review = (questionId: string, total: number, followUp?: string): Review => fakeReview(questionId, total, { followUp });

describe('drill state', () => {
  it('gives a minute to think, then three minutes to answer, with one reminder near the end', () => {
    const session = startDrill(bank[0], t0);
    expect(clockOf(session, t0 + 10_000)).toMatchObject({ phase: 'thinking', phaseLeft: 50, remind: false });
    expect(clockOf(session, t0 + 70_000)).toMatchObject({ phase: 'answering', phaseLeft: 170 });
    expect(clockOf(session, t0 + 60_000 + 155_000).remind).toBe(true);
    expect(clockOf({ ...session, reminded: true }, t0 + 60_000 + 155_000).remind).toBe(false);
    const early = beginAnswering(session, t0 + 5_000);
    expect(clockOf(early, t0 + 5_000)).toMatchObject({ phase: 'answering', phaseLeft: 180 });
  });

  it('asks the 追问 once, then finishes', () => {
    let session = startDrill(bank[0], t0);
    session = afterReview(session, review(bank[0].id, 60, '具体谁来牵头?'), t0 + 1000);
    expect(session.phase).toBe('followup');
    expect(session.followUp).toBe('具体谁来牵头?');
    session = afterFollowUp(session, t0 + 2000);
    expect(session.phase).toBe('done');
  });

  it('runs a mock of three questions of different types in 15 minutes and reports like the score sheet', () => {
    let session = startMock(bank, t0, () => 0.3);
    expect(session.questionIds).toHaveLength(3);
    const types = session.questionIds.map((id) => bank.find((q) => q.id === id)!.type);
    expect(types[0]).toBe('综合分析');
    expect(new Set(types).size).toBe(3);
    expect(session.endsAt! - session.startedAt).toBe(15 * 60 * 1000);
    for (const [i, total] of [80, 50, 30].entries()) {
      expect(currentQuestionId(session)).toBe(session.questionIds[i]);
      session = afterReview(session, review(session.questionIds[i], total), t0 + (i + 1) * 60_000);
    }
    expect(session.phase).toBe('done');
    const report = mockReport(session, t0 + 4 * 60_000);
    expect(report.total).toBeCloseTo(53.3, 1);
    expect(report.band).toBe('中');
    expect(report.elements.find((e) => e.name === '综合分析能力')?.score).toBe(8);
    expect(report.elements.find((e) => e.name === '言语表达能力')?.score).toBeCloseTo(5.3, 1);
  });

  it('ends a mock when its 15 minutes are up', () => {
    let session = startMock(bank, t0, () => 0.1);
    session = afterReview(session, review(session.questionIds[0], 70), t0 + 16 * 60_000);
    expect(session.phase).toBe('done');
  });
});

describe('no repeats right after practice', () => {
  it('a mock leaves out the questions just practised while there are others', async () => {
    const { startMock } = await import('../../src/interview/drill.ts');
    const { loadBank } = await import('../../src/interview/bank.ts');
    const bank = loadBank();
    const recent = new Set(bank.filter((q) => q.type === '综合分析').slice(0, 9).map((q) => q.id));
    for (let seed = 0; seed < 20; seed += 1) {
      let x = seed / 20;
      const mock = startMock(bank, 0, () => (x = (x * 9301 + 0.49297) % 1), recent);
      expect(recent.has(mock.questionIds[0])).toBe(false);
    }
  });
});
