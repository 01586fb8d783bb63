import { describe, expect, it } from 'vitest';
import { fillerCount } from '../../src/bot/render-drill.ts';

describe('voice delivery', () => {
  it('counts filler words in a transcript, not the same characters inside words', () => {
    expect(fillerCount('嗯,我觉得,那个,然后,这个问题啊,就是说要先稳住现场。')).toBe(5);
    expect(fillerCount('那个村的做法然后被推广了。')).toBe(0);
  });
});
