import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.ts';
import type { Chunk, Essay } from '../../src/knowledge/types.ts';
import { CALLBACK_DATA_LIMIT, callbackData, decodeAction, encodeAction, type Action } from '../../src/bot/callbacks.ts';
import {
  compose,
  cutPoints,
  escapeHtml,
  MESSAGE_LIMIT,
  renderAnswer,
  renderEssay,
  renderEssayList,
  renderExcerpt,
  renderInlineResult,
  renderParagraph,
  renderSection,
  renderText,
  renderWelcome,
  splitText,
  type OutMessage,
} from '../../src/bot/render.ts';
import { parseTelegramHtml } from '../helpers/fake-telegram.js';

const NASTY = '<script>alert("x")</script> & <b>粗体</b> 1 < 2 > 0 &amp;';

function essay(overrides: Partial<Essay> = {}): Essay {
  const text = `摘要:${NASTY}基层治理很重要。\n## 一、问题\n第一段讲问题。第二句继续讲。\n第二段是对策。`;
  return {
    id: 'p99',
    title: `标题<测试>&${'很长'.repeat(20)}`,
    authors: ['张三<', '李四&'],
    publication: '期刊<b>',
    issue: '2020年第1期',
    keywords: ['治理', '<i>'],
    file: 'p99.md',
    text,
    paragraphs: [
      { start: 0, end: text.indexOf('\n'), heading: false, section: '' },
      { start: text.indexOf('第一段'), end: text.indexOf('\n第二段'), heading: false, section: '一、问题' },
      { start: text.indexOf('第二段'), end: text.length, heading: false, section: '一、问题' },
    ],
    ...overrides,
  };
}

function chunkOf(e: Essay, from: string, to: string): Chunk {
  const start = e.text.indexOf(from);
  const end = e.text.indexOf(to) + to.length;
  return { id: 'p99#01', essayId: e.id, ordinal: 1, section: '一、问题 › <小节>', start, end, text: e.text.slice(start, end) };
}

/** Every message is valid Telegram HTML, within the limits, and its plain twin matches. */
function expectValid(messages: OutMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    const parsed = parseTelegramHtml(m.html, { strictAmpersand: true });
    expect(parsed.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parsed.text).toBe(m.text);
    for (const row of m.keyboard?.inline_keyboard ?? []) {
      for (const button of row) {
        if ('callback_data' in button && button.callback_data !== undefined) {
          expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
        }
      }
    }
  }
}

function answer(overrides: Partial<Answer> = {}): Answer {
  return {
    question: NASTY,
    grounded: true,
    coverage: 'covered',
    mode: 'extractive',
    answer: `答案里有${NASTY}[1]。第二句[2]。`,
    citations: [1, 2].map((n) => ({
      n,
      chunkId: `p0${n}#0${n}`,
      essayId: `p0${n}`,
      title: `文章<${n}>&标题${'长'.repeat(30)}`,
      authors: ['作者&'],
      publication: '刊物<',
      issue: '第1期',
      section: '一、<节>',
      quote: NASTY,
    })),
    uncitedSentences: [],
    suggestions: [],
    ms: 1,
    ...overrides,
  };
}

describe('renderer: escaping', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeHtml('a<b>&c"d\'')).toBe('a&lt;b&gt;&amp;c"d\'');
  });

  it('keeps user and essay text verbatim in every view', () => {
    const e = essay();
    const c = chunkOf(e, '第一段', '第二句继续讲。');
    const views: OutMessage[][] = [
      renderAnswer(answer(), { asked: NASTY, understood: { kind: 'rewrite', text: NASTY } }),
      renderAnswer(answer(), { understood: { kind: 'context', text: NASTY } }),
      renderExcerpt(e, c),
      renderParagraph(e, c, { start: e.paragraphs[1].start, end: e.paragraphs[1].end, text: e.text.slice(e.paragraphs[1].start, e.paragraphs[1].end) }),
      renderEssayList([e, essay({ id: 'p98' })]),
      renderEssay({ essay: e, abstract: NASTY, sections: [{ title: NASTY, count: 2 }] }),
      renderSection(e, NASTY, [c]),
      renderText(NASTY),
    ];
    for (const view of views) expectValid(view);
    expect(views[0].map((m) => m.text).join('\n')).toContain(`答案里有${NASTY}[1]`);
    expect(views[0][0].html).not.toContain('<script>');
    expect(views[2][0].text).toContain(c.text);
    expect(views[2][0].text).toContain('一、问题 › <小节>');
    expect(views[5][0].text).toContain(NASTY);
  });

  it('answers show a compact source list and one button per source', () => {
    const [m] = renderAnswer(answer());
    expect(m.text).toContain('出处\n[1] 《文章<1>&标题');
    expect(m.text).toContain('作者& · 刊物< 第1期');
    const data = m.keyboard?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(data).toEqual(['src:p01#01', 'src:p02#02']);
  });

  it('out-of-scope answers have no sources, and their suggestions become buttons', () => {
    const [m] = renderAnswer(
      answer({ grounded: false, citations: [], answer: '抱歉,没有涉及。', suggestions: ['北辰区的基层治理经验是什么?', '不在列表里的问题'] }),
    );
    expect(m.text).not.toContain('出处');
    const data = m.keyboard?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(data).toEqual(['ex:0']);
    // introduced once in the text and shown once, as a button
    expect(m.text.match(/可以问问这些/g)?.length).toBe(1);
    expect(m.text).not.toContain('北辰区的基层治理经验是什么');
  });

  it('the paragraph view marks the excerpt in bold', () => {
    const e = essay();
    const c = chunkOf(e, '第二句', '第二句继续讲。');
    const p = { start: e.paragraphs[1].start, end: e.paragraphs[1].end, text: e.text.slice(e.paragraphs[1].start, e.paragraphs[1].end) };
    const [m] = renderParagraph(e, c, p);
    const parsed = parseTelegramHtml(m.html);
    const bold = parsed.entities.filter((x) => x.type === 'bold').map((x) => parsed.text.slice(x.offset, x.offset + x.length));
    expect(bold).toContain('第二句继续讲。');
    expect(parsed.entities.some((x) => x.type === 'blockquote')).toBe(true);
  });

  it('inline results carry valid HTML and short ids', () => {
    const e = essay();
    const result = renderInlineResult(e, chunkOf(e, '第一段', '第二句继续讲。'));
    expect(result.id).toBe('p99#01');
    const content = result.input_message_content;
    expect('message_text' in content && parseTelegramHtml(content.message_text).text).toContain('第一段讲问题');
  });
});

describe('renderer: splitting', () => {
  it('leaves short texts alone', () => {
    expect(cutPoints('短句。', 10)).toEqual([]);
    expect(splitText('短句。')).toEqual(['短句。']);
  });

  it('cuts at sentence ends', () => {
    const text = '第一句话很长很长。第二句话也很长！第三句？第四句';
    const pieces = splitText(text, 12);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces.slice(0, -1)) expect(piece).toMatch(/[。！？]$/);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(12);
  });

  it('falls back to commas, then to a hard cut, never inside a surrogate pair', () => {
    expect(splitText('一二三四五,六七八九十一二三四五六', 10)[0]).toBe('一二三四五,');
    const emoji = '😀'.repeat(10);
    const pieces = splitText(emoji, 5);
    expect(pieces.join('')).toBe(emoji);
    for (const piece of pieces) expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('splits a message over 4096 characters at sentence ends, keeping tags whole and buttons last', () => {
    const sentence = '基层治理要坚持党建引领,推动多方参与共治<&>。';
    const long = sentence.repeat(400); // ~ 9600 characters
    const messages = renderAnswer(answer({ answer: long }));
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expectValid(messages);
    expect(messages.slice(0, -1).every((m) => m.keyboard === undefined)).toBe(true);
    expect(messages.at(-1)?.keyboard).toBeDefined();
    const body = messages.map((m) => m.text).join('');
    expect(body).toContain(long.slice(0, 500));
    for (const m of messages.slice(0, -1)) expect(m.text).toMatch(/。$/);
  });

  it('splits inside a styled block without breaking its tags', () => {
    const e = essay();
    const long = '很长的段落。'.repeat(1200);
    const text = `${long}`;
    const big = { ...e, text, paragraphs: [{ start: 0, end: text.length, heading: false, section: '' }] };
    const c: Chunk = { id: 'p99#00', essayId: 'p99', ordinal: 0, section: '', start: 100, end: 7000, text: text.slice(100, 7000) };
    const messages = renderParagraph(big, c, { start: 0, end: text.length, text });
    expect(messages.length).toBeGreaterThan(1);
    expectValid(messages);
  });

  it('compose never returns an empty message', () => {
    expect(compose([])[0].text).toBe('…');
  });
});

describe('callback data', () => {
  const actions: Action[] = [
    { kind: 'source', chunkId: 'p04#03' },
    { kind: 'context', chunkId: 'p10#23' },
    { kind: 'excerpt', chunkId: 'p10#23' },
    { kind: 'essays' },
    { kind: 'essay', essayId: 'p04' },
    { kind: 'section', essayId: 'p04', index: 12 },
    { kind: 'example', index: 2 },
    { kind: 'mode', mode: 'llm' },
    { kind: 'mode', mode: 'extractive' },
  ];

  it('round-trips every action within 64 bytes', () => {
    for (const action of actions) {
      const data = encodeAction(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
      expect(decodeAction(data)).toEqual(action);
    }
  });

  it('rejects foreign or malformed data', () => {
    for (const data of ['', 'zz:1', 'sec:p04', 'sec:p04:x', 'ex:', 'm:q', 'src']) expect(decodeAction(data)).toBeUndefined();
  });

  it('refuses data over 64 bytes (UTF-8 bytes, not characters)', () => {
    expect(callbackData('d', '政'.repeat(20))).toHaveLength(22);
    expect(() => callbackData('d', '政'.repeat(21))).toThrow(/64 bytes/);
  });

  it('welcome example buttons stay small even for long questions', () => {
    const [m] = renderWelcome({ essayCount: 3, sampleTitles: ['甲'], mode: 'extractive', examples: ['问'.repeat(200), '二', '三'] });
    expectValid([m]);
    const buttons = m.keyboard?.inline_keyboard.flat() ?? [];
    expect(buttons.map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(['ex:0', 'ex:1', 'ex:2']);
    expect([...(buttons[0]?.text ?? '')].length).toBeLessThanOrEqual(40);
  });
});
