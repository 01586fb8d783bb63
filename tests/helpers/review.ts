// A Review with chosen scores, for tests of what happens after scoring (history, drills).
import { bandOf, loadBank, type Review } from '../../src/interview/index.ts';

const bank = loadBank();

export function fakeReview(questionId: string, total: number, options: { d2?: number; followUp?: string } = {}): Review {
  const q = bank.find((x) => x.id === questionId);
  if (!q) throw new Error(`no question ${questionId}`);
  return {
    questionId,
    question: q.stem,
    type: q.type,
    total,
    band: bandOf(total),
    dimensions: (['D1', 'D2', 'D3', 'D4', 'D5'] as const).map((key) => ({
      key,
      name: key,
      score: key === 'D2' ? (options.d2 ?? total / 10) : total / 10,
      max: 10,
      weight: 2,
    })),
    points: [],
    hits: [],
    misses: [],
    feedback: [],
    followUp: options.followUp,
    mode: 'offline',
    notices: [],
    cliches: [],
    modelAnswer: '',
  };
}
