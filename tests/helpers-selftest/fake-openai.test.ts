import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, { toFile } from 'openai';
import {
  cosineSimilarity,
  DEFAULT_REPLY,
  fakeEmbedding,
  lastUserText,
  splitTags,
  startFakeOpenAI,
  thinkContent,
} from '../helpers/fake-openai.js';
import type { FakeOpenAI } from '../helpers/fake-openai.js';

describe('fake-openai', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0, timeout: 2000 });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers a plain chat completion in the real OpenAI shape', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: '你是政策助手' },
        { role: 'user', content: '什么是网格化管理？' },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe('gpt-4o-mini');
    expect(res.choices[0]?.message.role).toBe('assistant');
    expect(res.choices[0]?.message.content).toBe(DEFAULT_REPLY);
    expect(res.choices[0]?.message.content).toContain('[1]');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage?.total_tokens).toBeGreaterThan(0);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer test');
    expect(req?.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system' }, { role: 'user' }] });
  });

  it('uses a custom responder (set later via setResponder)', async () => {
    fake.setResponder((body) => `回声：${lastUserText(body)}`);
    const res = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: '你好' }],
    });
    expect(res.choices[0]?.message.content).toBe('回声：你好');
  });

  it('streams SSE chunks that the SDK reassembles', async () => {
    fake.setResponder(() => '基层治理要坚持党建引领，推动多方协同共治[1]。');
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: '问题' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    let sawUsage = false;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) sawUsage = true;
    }
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('基层治理要坚持党建引领，推动多方协同共治[1]。');
    expect(finish).toBe('stop');
    expect(sawUsage).toBe(true);
  });

  it('writes reasoning into content as reasoning models do, with or without the opening tag', async () => {
    expect(thinkContent('想一想', '答案')).toBe('<think>\n想一想\n</think>\n\n答案');
    expect(thinkContent('想一想', '答案', { openTag: false })).toBe('\n想一想\n</think>\n\n答案');
    fake.setResponder(() => thinkContent('想一想', '答案'));
    const res = await client.chat.completions.create({ model: 'qwen3', messages: [{ role: 'user', content: '问题' }] });
    expect(res.choices[0]?.message.content).toBe('<think>\n想一想\n</think>\n\n答案');
  });

  it('streams the given chunks as they are, tags split across them', async () => {
    const content = thinkContent('想一想', '答案');
    fake.setResponder(() => splitTags(content));
    const stream = await client.chat.completions.create({ model: 'qwen3', messages: [{ role: 'user', content: '问题' }], stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    expect(deltas.join('')).toBe(content);
    expect(deltas).toContain('<th');
    expect(deltas.some((d) => d.includes('<think>') || d.includes('</think>'))).toBe(false);
    fake.setResponder(() => ({ content: 'ab', chunks: ['a'] }));
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow(/500|chunks/);
  });

  it('sends reasoning apart, as reasoning_content, streamed and not', async () => {
    fake.setResponder(() => ({ content: '答案', reasoning: '想一想' }));
    const res = await client.chat.completions.create({ model: 'deepseek-r1', messages: [{ role: 'user', content: '问题' }] });
    expect(res.choices[0]?.message.content).toBe('答案');
    expect((res.choices[0]?.message as unknown as { reasoning_content?: string }).reasoning_content).toBe('想一想');
    const stream = await client.chat.completions.create({ model: 'deepseek-r1', messages: [{ role: 'user', content: '问题' }], stream: true });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
    }
    expect(reasoning).toBe('想一想');
    expect(content).toBe('答案');
  });

  it('returns deterministic, normalised embeddings (float and SDK-default base64)', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['社区网格化管理', '社区网格化治理', '量子色动力学'],
      encoding_format: 'float',
    });
    expect(res.object).toBe('list');
    expect(res.data).toHaveLength(3);
    const [a, b, c] = res.data.map((d) => d.embedding);
    expect(a).toHaveLength(64);
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const norm = Math.sqrt((a ?? []).reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(cosineSimilarity(a ?? [], b ?? [])).toBeGreaterThan(cosineSimilarity(a ?? [], c ?? []));
    expect(a).toEqual(fakeEmbedding('社区网格化管理'));

    // without encoding_format the SDK asks for base64 and decodes float32 LE itself
    const res2 = await client.embeddings.create({ model: 'text-embedding-3-small', input: '社区网格化管理' });
    expect(res2.data[0]?.embedding).toEqual(a);
    expect(fake.requests[1]?.body).toMatchObject({ encoding_format: 'base64' });

    const res3 = await client.embeddings.create({ model: 'm', input: 'x', dimensions: 16, encoding_format: 'float' });
    expect(res3.data[0]?.embedding).toHaveLength(16);
  });

  it('transcribes multipart audio uploads', async () => {
    const file = await toFile(Buffer.from('OggS fake audio'), 'voice.ogg', { type: 'audio/ogg' });
    const res = await client.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(res.text).toBe('这是一段测试转写文本。');
    expect(fake.requests[0]?.body).toMatchObject({ model: 'whisper-1', file: { filename: 'voice.ogg', size: 15 } });
    fake.setTranscript('换一段');
    const res2 = await client.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(res2.text).toBe('换一段');
  });

  it('lists models and 404s unknown paths in OpenAI error shape', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');
    const r = await fetch(`${fake.baseURL}/nope`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/nope)', type: 'invalid_request_error', param: null, code: null },
    });
  });

  it('injects a 429 with retry-after, then recovers', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const err = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.headers.get('retry-after')).toBe('7');
    expect(e.code).toBe('rate_limit_exceeded');
    expect(fake.requests[0]?.fault).toBe('fail');

    const ok = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.choices[0]?.message.content).toBe(DEFAULT_REPLY);
  });

  it('injects a 500 (only on the filtered path)', async () => {
    fake.failNext(1, { status: 500, path: '/chat/completions' });
    const emb = await client.embeddings.create({ model: 'm', input: '不受影响', encoding_format: 'float' });
    expect(emb.data).toHaveLength(1);
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect(fake.pendingFaults()).toBe(0);
  });

  it('hangs a request until the client times out', async () => {
    fake.hangNext(1);
    const started = Date.now();
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { timeout: 200 }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('close() does not wait for a hanging request', async () => {
    fake.hangNext(1);
    const pending = client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    await expect.poll(() => fake.requests.length).toBe(1);
    const t0 = Date.now();
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('cuts a stream mid-way: iterating throws', async () => {
    fake.setResponder(() => '这是一段会被中途切断的很长很长的回答内容。');
    fake.cutStreamNext(1);
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const got: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(iterate()).rejects.toThrow();
    expect(got.join('').length).toBeLessThan('这是一段会被中途切断的很长很长的回答内容。'.length);
  });

  it('returns malformed JSON when asked', async () => {
    fake.malformedNext(1);
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toThrow();
  });

  it('applies delayMs', async () => {
    fake.setDelay(120);
    const t0 = Date.now();
    await client.models.list();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });
});
