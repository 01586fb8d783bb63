import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/interview/index.ts';
import { REFERENCE_FULL, REFERENCE_NONE, referenceShare, referenceSimilarity } from '../../src/interview/reference.ts';

const question = loadBank().find((q) => q.id === 'rj-07')!;

describe('similarity to the reference answer', () => {
  it('is 1 for the reference itself and low for 套话 that could answer any question', () => {
    const reference = question.modelAnswer!;
    expect(referenceSimilarity(reference, question.stem, reference)).toBeCloseTo(1, 5);
    const rambling =
      '各位考官好。这道题考查的是我们基层干部的群众工作能力,我深感责任重大。作为一名党员干部,我一定高度重视,提高政治站位,' +
      '以人民为中心,切实增强责任感和使命感,把这项工作做实做细做好,不辜负组织的信任和群众的期待。';
    expect(referenceSimilarity(reference, question.stem, rambling)).toBeLessThan(REFERENCE_NONE);
  });

  it('leaves out the question\'s own words: restating the stem shares nothing', () => {
    expect(referenceSimilarity(question.modelAnswer!, question.stem, question.stem)).toBe(0);
  });

  it('maps similarity to a share of the substance between the poor and the strong answers\' levels', () => {
    expect(referenceShare(REFERENCE_NONE)).toBe(0);
    expect(referenceShare(REFERENCE_FULL)).toBe(1);
    expect(referenceShare((REFERENCE_NONE + REFERENCE_FULL) / 2)).toBeCloseTo(0.5, 5);
    expect(referenceShare(0.9)).toBe(1);
  });
});
