import { describe, expect, it } from 'vitest';
import { fillerCount } from '../../src/bot/render-drill.ts';
import { decodeDrill, encodeDrill, type DrillAction } from '../../src/bot/drill-actions.ts';
import { decodeHistory, encodeHistory, type HistoryAction } from '../../src/bot/render-history.ts';
import { decodeAction, encodeAction, type Action } from '../../src/bot/callbacks.ts';

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

describe('drill button data', () => {
  it('every action keeps its wire format (buttons already in chats still work) and reads back the same', () => {
    const wire: Array<[DrillAction, string]> = [
      [{ kind: 'picker' }, 'd:p'],
      [{ kind: 'pick' }, 'd:t:r'],
      [{ kind: 'pick', type: '应急应变' }, 'd:t:2'],
      [{ kind: 'begin' }, 'd:go'],
      [{ kind: 'quit' }, 'd:q'],
      [{ kind: 'miss', pointId: 'zh-01-3', chunkId: 'p03#12' }, 'd:m:zh-01-3:p03#12'],
      [{ kind: 'answer', questionId: 'yj-03' }, 'd:a:yj-03'],
      [{ kind: 'confirm' }, 'd:ok'],
      [{ kind: 'edit' }, 'd:ed'],
      [{ kind: 'skip' }, 'd:fs'],
      [{ kind: 'stats' }, 'd:s'],
      [{ kind: 'review' }, 'd:r'],
      [{ kind: 'retype', type: '人际沟通' }, 'd:ty:3'],
      [{ kind: 'submit' }, 'd:sub'],
      [{ kind: 'keep' }, 'd:dk'],
      [{ kind: 'notAnswer' }, 'd:dq'],
      [{ kind: 'details', id: 'm3x9k' }, 'd:det:m3x9k'],
      [{ kind: 'rewrite', id: 'm3x9k' }, 'd:rw:m3x9k'],
      [{ kind: 'start', questionId: 'zz-02' }, 'd:st:zz-02'],
      [{ kind: 'deleteLast', confirmed: false }, 'd:del'],
      [{ kind: 'deleteLast', confirmed: true, at: 'lq2c' }, 'd:delok:lq2c'],
    ];
    for (const [action, data] of wire) {
      expect(encodeDrill(action)).toBe(data);
      expect(decodeDrill(data)).toEqual(action);
    }
    for (const foreign of ['d:t:9', 'd:m:only-one', 'd:det:', 'd:delok:', 'd:nope', 'h:p:0', 'src:p01#01']) expect(decodeDrill(foreign)).toBeUndefined();
  });
});

describe('history and built-in button data', () => {
  it('keep their wire format and read back the same; foreign data is refused', () => {
    const history: Array<[HistoryAction, string]> = [
      [{ kind: 'page', page: 3 }, 'h:p:3'],
      [{ kind: 'open', id: 'lq2c9x' }, 'h:o:lq2c9x'],
      [{ kind: 'answer', id: 'lq2c9x' }, 'h:a:lq2c9x'],
      [{ kind: 'details', id: 'lq2c9x' }, 'h:d:lq2c9x'],
      [{ kind: 'model', id: 'lq2c9x' }, 'h:m:lq2c9x'],
      [{ kind: 'delete', id: 'lq2c9x', confirmed: false }, 'h:x:lq2c9x'],
      [{ kind: 'delete', id: 'lq2c9x', confirmed: true }, 'h:X:lq2c9x'],
      [{ kind: 'missed' }, 'h:w'],
    ];
    for (const [action, data] of history) {
      expect(encodeHistory(action)).toBe(data);
      expect(decodeHistory(data)).toEqual(action);
    }
    for (const foreign of ['h:p:x', 'h:p:12345', 'h:o:', 'h:o:UPPER', 'h:x:', 'h:zz:1', 'd:p']) expect(decodeHistory(foreign)).toBeUndefined();

    const builtIn: Array<[Action, string]> = [
      [{ kind: 'source', chunkId: 'p03#12' }, 'src:p03#12'],
      [{ kind: 'context', chunkId: 'p03#12' }, 'ctx:p03#12'],
      [{ kind: 'excerpt', chunkId: 'p03#12' }, 'exc:p03#12'],
      [{ kind: 'essays' }, 'el'],
      [{ kind: 'essay', essayId: 'p03' }, 'e:p03'],
      [{ kind: 'section', essayId: 'p03', index: 2 }, 'sec:p03:2'],
      [{ kind: 'example', index: 1 }, 'ex:1'],
      [{ kind: 'mode', mode: 'llm' }, 'm:l'],
      [{ kind: 'mode', mode: 'extractive' }, 'm:e'],
    ];
    for (const [action, data] of builtIn) {
      expect(encodeAction(action)).toBe(data);
      expect(decodeAction(data)).toEqual(action);
    }
    expect(decodeAction('src:a:b')).toEqual({ kind: 'source', chunkId: 'a:b' });
  });
});
