import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/interview/bank.ts';
import { startDrill, startMock } from '../../src/interview/drill.ts';
import { readDrillSession, readHistory } from '../../src/interview/session-schema.ts';

describe('stored drill state', () => {
  const bank = loadBank();

  it('reads back what a drill stores, and drops what is not a drill', () => {
    const single = startDrill(bank[0], 1000);
    expect(readDrillSession(JSON.parse(JSON.stringify(single)))).toEqual(single);
    const mock = startMock(bank, 1000, () => 0.3);
    expect(readDrillSession(JSON.parse(JSON.stringify(mock)))).toEqual(mock);
    expect(readDrillSession({ ...single, phase: 'sleeping' })).toBeUndefined();
    expect(readDrillSession({ ...single, index: -1 })).toBeUndefined();
    expect(readDrillSession('drill')).toBeUndefined();
    expect(readDrillSession({ ...single, own: { question: { id: 'free' }, typeSource: 'detected' } })).toBeUndefined();
  });

  it('keeps every well-formed attempt of a history and drops the broken ones', () => {
    const good = { questionId: 'zh-01', type: '综合分析', total: 70, band: '中', dims: { D1: 7, D2: 7, D3: 7, D4: 7, D5: 7 }, missed: [], mode: 'offline', at: '2026-11-01T08:00:00Z' };
    const history = readHistory({ attempts: [good, { ...good, total: 'seventy' }, null], schedule: { 'zh-01': { ease: 2.5, interval: 1, reps: 1, due: '2026-11-02', last: 70 }, bad: 3 } });
    expect(history?.attempts).toEqual([good]);
    expect(Object.keys(history?.schedule ?? {})).toEqual(['zh-01']);
    expect(readHistory(undefined)).toBeUndefined();
  });
});
