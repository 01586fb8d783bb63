import { describe, expect, it } from 'vitest';
import { reviewText } from '../../src/cli/drill.ts';
import { loadBank, scoreOffline } from '../../src/interview/index.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

describe('drill score text', () => {
  it('says so when there is no advice instead of an empty heading', async () => {
    const { retriever } = await sharedIndex();
    const question = loadBank()[0];
    const review = await scoreOffline(question, '我认为要给网格员减负,建立事项准入清单,考核看群众满意度。', { retriever });
    const text = reviewText({ ...review, feedback: [] });
    const lines = text.split('\n');
    const heading = lines.indexOf('改进建议:');
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading + 1]).toMatch(/没有找到需要特别指出的问题/);
    // with advice, each item follows the heading
    const advised = reviewText({ ...review, feedback: ['回答偏短'] }).split('\n');
    expect(advised[advised.indexOf('改进建议:') + 1]).toBe('  · 回答偏短');
  });
});
