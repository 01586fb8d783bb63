import { describe, expect, it } from 'vitest';
import { fillerCount } from '../../src/bot/render-drill.ts';

describe('voice delivery', () => {
  it('counts filler words in a transcript, not the same characters inside words', () => {
    expect(fillerCount('嗯,我觉得,那个,然后,这个问题啊,就是说要先稳住现场。')).toBe(5);
    expect(fillerCount('那个村的做法然后被推广了。')).toBe(0);
  });
});

describe('source buttons', () => {
  it('name the essay and the section, so excerpts of one essay are told apart', async () => {
    const { sourceButtonLabel } = await import('../../src/bot/render.ts');
    const a = sourceButtonLabel(1, '基层党建引领社区治理的创新实践与经验启示', '一、创新工作机制 › 2.完善党建网格,优化社区网格化管理');
    const b = sourceButtonLabel(2, '基层党建引领社区治理的创新实践与经验启示', '二、创新基层党建引领社区治理的内容和形式');
    expect(a).not.toBe(b.replace('[2]', '[1]'));
    expect(a).toContain('完善党建网格');
    expect(sourceButtonLabel(3, '党建引领基层社会治理创新实践', '')).toBe('[3] 《党建引领基层社会治理创新实践》');
  });
});
