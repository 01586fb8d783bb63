import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/interview/bank.ts';
import { relatedDrillFinder } from '../../src/interview/related.ts';

describe('related drill for an uncovered question', () => {
  const find = relatedDrillFinder(loadBank());

  it('offers the bank drill that shares the topic', () => {
    const drill = find('村民议事会开会没人来怎么办');
    expect(drill).toBeDefined();
    expect(loadBank().find((q) => q.id === drill?.id)?.stem).toMatch(/议事|群众|参与/);
  });

  it('offers nothing for a question on another subject', () => {
    expect(find('明天北京天气怎么样?')).toBeUndefined();
  });
});
