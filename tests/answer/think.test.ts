// Reasoning written into `content` (<think>…</think>, Qwen3 / DeepSeek-R1 on Ollama or vLLM) is
// never shown and never reaches a parser: the pure function, the streaming filter, and the model
// against the fake server (real openai SDK), streamed and not, with tags split across chunks.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIChatModel } from '../../src/answer/llm.ts';
import { stripThinking, ThinkFilter } from '../../src/answer/think.ts';
import { splitTags, startFakeOpenAI, thinkContent, type FakeOpenAI } from '../helpers/fake-openai.js';

const REASONING = '用户问的是网格化管理,我先看摘录[1]。';
const ANSWER = '天津市建立了社区网格化管理体系[1]。';

describe('stripThinking', () => {
  it.each([
    ['a whole block', `<think>${REASONING}</think>\n\n${ANSWER}`],
    ['a block with an upper-case tag', `<THINK>${REASONING}</THINK>${ANSWER}`],
    ['only the closing tag', `${REASONING}\n</think>\n\n${ANSWER}`],
    ['an empty block', `<think>\n\n</think>\n\n${ANSWER}`],
    ['two blocks', `<think>a</think>${ANSWER}<think>b</think>`],
  ])('removes %s', (_name, text) => {
    expect(stripThinking(text)).toBe(ANSWER);
  });

  it('leaves a reply without reasoning as it is', () => {
    expect(stripThinking(`  ${ANSWER}\n`)).toBe(`  ${ANSWER}\n`);
  });

  it('hides everything after an unclosed <think>', () => {
    expect(stripThinking(`<think>${REASONING}`)).toBe('');
  });

  it('holds back a tag still streaming in', () => {
    expect(stripThinking(`${ANSWER}<th`, { partial: true })).toBe(ANSWER);
    expect(stripThinking(`${ANSWER}</thi`, { partial: true })).toBe(ANSWER);
    expect(stripThinking(`${ANSWER}<th`)).toBe(`${ANSWER}<th`);
  });
});

describe('ThinkFilter', () => {
  it('shows nothing while inside a block whose tags are split across chunks', () => {
    const filter = new ThinkFilter();
    const shown = ['<th', 'ink>', REASONING, '</th', 'ink>', '\n\n天津市', '建立了'].map((delta) => filter.push(delta));
    expect(shown).toEqual(['', '', '', '', '', '天津市', '天津市建立了']);
    expect(filter.droppedOpenTag).toBe(false);
  });

  it('with assumeThinking, holds everything back until </think>', () => {
    const filter = new ThinkFilter({ assumeThinking: true });
    expect([REASONING, '</think>', ANSWER].map((delta) => filter.push(delta))).toEqual(['', '', ANSWER]);
    expect(filter.droppedOpenTag).toBe(true);
    expect(filter.final()).toBe(ANSWER);
  });

  it('with assumeThinking, a reply without reasoning is still returned whole', () => {
    const filter = new ThinkFilter({ assumeThinking: true });
    expect(filter.push(ANSWER)).toBe('');
    expect(filter.final()).toBe(ANSWER);
  });
});

describe('a reasoning model behind the OpenAI-compatible API', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  let model: OpenAIChatModel;
  const ask = (onDelta?: (text: string) => void): Promise<string> => model.complete([{ role: 'user', content: '问题' }], { onDelta });

  beforeAll(async () => {
    fake = await startFakeOpenAI({ streamChunkSize: 3 });
    client = new OpenAI({ apiKey: 'sk-test-key-not-real', baseURL: fake.baseURL, maxRetries: 0, timeout: 1500 });
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    fake.reset();
    model = new OpenAIChatModel(client, 'qwen3', 1500);
  });

  it.each([
    ['with both tags', thinkContent(REASONING, ANSWER)],
    ['without the opening tag', thinkContent(REASONING, ANSWER, { openTag: false })],
  ])('not streamed, %s: only the answer', async (_name, content) => {
    fake.setResponder(() => content);
    expect(await ask()).toBe(ANSWER);
  });

  it('streamed with the tags split across chunks: no draft ever shows the reasoning', async () => {
    fake.setResponder(() => splitTags(thinkContent(REASONING, ANSWER)));
    const seen: string[] = [];
    expect(await ask((text) => seen.push(text))).toBe(ANSWER);
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) {
      expect(ANSWER.startsWith(text), text).toBe(true);
      expect(text).not.toMatch(/<|think|摘录/);
    }
  });

  it('a known reasoning model (qwen3) streamed without the opening tag: not even the first draft shows reasoning', async () => {
    fake.setResponder(() => splitTags(thinkContent(REASONING, ANSWER, { openTag: false })));
    const seen: string[] = [];
    expect(await ask((text) => seen.push(text))).toBe(ANSWER);
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) expect(ANSWER.startsWith(text), text).toBe(true);
  });

  it('another model streamed without the opening tag: the final text is clean, and later replies are held until </think>', async () => {
    model = new OpenAIChatModel(client, 'my-local-model', 1500);
    fake.setResponder(() => splitTags(thinkContent(REASONING, ANSWER, { openTag: false })));
    expect(await ask(() => {})).toBe(ANSWER);
    const seen: string[] = [];
    expect(await ask((text) => seen.push(text))).toBe(ANSWER);
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) expect(ANSWER.startsWith(text), text).toBe(true);
  });

  it('only reasoning and no answer counts as an empty completion', async () => {
    fake.setResponder(() => `<think>${REASONING}`);
    await expect(ask()).rejects.toThrow(/empty completion/);
  });

  it('reasoning sent apart (reasoning_content) is never read, streamed or not', async () => {
    fake.setResponder(() => ({ content: ANSWER, reasoning: REASONING }));
    expect(await ask()).toBe(ANSWER);
    const seen: string[] = [];
    expect(await ask((text) => seen.push(text))).toBe(ANSWER);
    for (const text of seen) expect(ANSWER.startsWith(text), text).toBe(true);
  });
});
