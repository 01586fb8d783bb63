import { describe, expect, it } from 'vitest';
import { renderCard, type CardView } from '../../src/bot/render-drill.ts';
import { loadBank } from '../../src/interview/index.ts';

const question = loadBank()[0];
const view = (over: Partial<CardView>): CardView => ({
  question,
  kind: 'single',
  index: 0,
  count: 1,
  status: 'answering',
  phaseLeft: 90,
  thinkingSeconds: 60,
  answerSeconds: 180,
  voice: false,
  ...over,
});
const buttons = (card: ReturnType<typeof renderCard>): string[] =>
  (card.keyboard?.inline_keyboard ?? []).flat().map((b) => ('callback_data' in b ? String(b.callback_data) : ''));

describe('the question card', () => {
  it('offers to submit the parts sent so far, and says so when the time is up', () => {
    expect(buttons(renderCard(view({})))).toEqual(['d:q']);
    const drafting = renderCard(view({ draftParts: 2 }));
    expect(buttons(drafting)).toEqual(['d:sub', 'd:q']);
    expect((drafting.keyboard?.inline_keyboard ?? []).flat().map((b) => b.text)).toContain('提交作答(2 段)');
    const late = renderCard(view({ draftParts: 2, phaseLeft: -5 }));
    expect(late.text).toContain('作答时间已到。你已发了 2 段');
    // the grace is 10% of the answer time: 18 s, 5 of them gone
    expect(late.text).toContain('约 13 秒后自动提交');
    expect(buttons(late)).toContain('d:sub');
    expect(renderCard(view({ phaseLeft: -5 })).text).toContain('请尽快发送你的回答');
  });
});
