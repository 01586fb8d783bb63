import { describe, expect, it } from 'vitest';
import { drillRegressionFailures, evaluateDrill, keywordBaseline } from '../../src/eval/drill.ts';
import { loadBank, loadCalibration } from '../../src/interview/index.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

const bank = loadBank();

describe('drill scoring on the calibration test split (written before the scorer, never tuned on)', () => {
  it('stays above its regression floors and above the keyword baseline', async () => {
    const { retriever } = await sharedIndex();
    const report = await evaluateDrill('test', loadCalibration('test'), bank, retriever);
    expect(drillRegressionFailures(report)).toEqual([]);
  }, 120_000);

  it('the baseline is what it says: weighted share of points with a keyword in the answer', () => {
    const question = bank[0];
    const everything = question.keyPoints.map((p) => p.keywords[0]).join(',');
    expect(keywordBaseline(question, everything)).toBe(100);
    expect(keywordBaseline(question, '今天天气很好')).toBe(0);
  });
});
