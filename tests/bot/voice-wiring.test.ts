// Voice answers as the app wires them: app.ts decides whether there is a transcriber (a key and
// OPENAI_TRANSCRIPTION_MODEL) and the drill feature only uses the one it is given. Real grammY
// against the fake Bot API; transcription through a fake OpenAI-compatible server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { drillFeatureFor, type DrillFeature } from '../../src/bot/features/drill.ts';
import type { Transcriber } from '../../src/interview/transcriber.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { buildApp, messageIdOf, nextText, startWithFeature, tempDir, testConfig, type RunningBot } from './setup.ts';

let tg: FakeTelegram;
let openai: FakeOpenAI;
let data: { path: string; remove: () => Promise<void> };
/** with two filler words (嗯, 那个) */
const SPOKEN = '嗯,我认为推进基层治理,首先要把群众的事情摸清楚,那个,组织网格员逐户走访,建立问题清单。';

beforeAll(async () => {
  tg = await startFakeTelegram();
  openai = await startFakeOpenAI({ transcript: SPOKEN });
  data = await tempDir();
});
afterAll(async () => {
  await tg?.close();
  await openai?.close();
  await data?.remove();
});

async function runWith(app: App): Promise<{ bot: RunningBot; feature: DrillFeature; stop: () => Promise<void> }> {
  return startWithFeature(app, drillFeatureFor(app, silentLogger, { random: () => 0 }));
}

/** Starts a drill in `chat` and sends a voice message; resolves with the bot's reply to it. */
async function voiceAnswer(chat: number): Promise<{ text: string; messageId: number }> {
  let since = tg.mark();
  tg.sendText(chat, chat, '/drill zh-01');
  await nextText(tg, chat, since, (t) => t.includes('结构化面试练习'));
  since = tg.mark();
  tg.sendVoice(chat, chat, Buffer.from('OggS wiring test voice'), { duration: 40 });
  const reply = await nextText(tg, chat, since, (_t, call) => call.method === 'sendMessage', 8000);
  return { text: String(reply.payload['text'] ?? ''), messageId: messageIdOf(reply) };
}

describe('voice answers wired by the app', () => {
  it('with a key but no transcription model there is no transcriber: a voice answer gets a clear sentence in Chinese', async () => {
    const app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: openai.baseURL }));
    expect(app.transcriber).toBeUndefined();
    const running = await runWith(app);
    try {
      openai.reset();
      const { text } = await voiceAnswer(9101);
      expect(text).toContain('暂时无法识别语音(没有配置语音转写服务)');
      expect(text).toContain('用文字发给我');
      expect(openai.requestsTo('/audio/transcriptions')).toHaveLength(0);
    } finally {
      await running.stop();
    }
  });

  it('with OPENAI_TRANSCRIPTION_MODEL, app.ts builds the transcriber and the drill transcribes through it', async () => {
    const app = await buildApp(
      testConfig({
        TELEGRAM_API_ROOT: tg.apiRoot,
        DATA_DIR: data.path,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: openai.baseURL,
        OPENAI_TRANSCRIPTION_MODEL: 'whisper-1',
        OPENAI_MAX_RETRIES: '0',
      }),
    );
    const built = app.transcriber;
    expect(built?.label).toBe('whisper-1');
    // the feature must use this very transcriber, not build one of its own
    let used = 0;
    const injected: Transcriber = {
      label: built!.label,
      transcribe: (audio, filename, signal) => {
        used += 1;
        return built!.transcribe(audio, filename, signal);
      },
    };
    const running = await runWith({ ...app, transcriber: injected });
    try {
      openai.reset();
      const { text, messageId } = await voiceAnswer(9102);
      expect(text).toContain('语音转写');
      expect(text).toContain(SPOKEN);
      expect(used).toBe(1);
      const requests = openai.requestsTo('/audio/transcriptions');
      expect(requests).toHaveLength(1);
      expect(requests[0].body).toMatchObject({ model: 'whisper-1', language: 'zh' });

      // confirmed: the review reports the real duration, the speaking rate and the filler words
      const since = tg.mark();
      tg.pressButton(messageId, 'd:ok', 9102, { chatId: 9102 });
      const review = await nextText(tg, 9102, since, (t) => t.includes('评分结果'), 10_000);
      const reviewText = String(review.payload['text']);
      expect(reviewText).toContain('语音时长 0:40');
      expect(reviewText).toMatch(/语速约 \d+ 字\/分钟/);
      expect(reviewText).toContain('口头语(嗯、啊、那个、然后……)约 2 次');
      expect(reviewText.length).toBeLessThanOrEqual(700);
    } finally {
      await running.stop();
    }
  });
});
