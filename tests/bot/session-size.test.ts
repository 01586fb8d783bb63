// How big a chat's session is after 30 drills, each answered in full (the session is read and
// written on every update): the answers and reviews live in the practice record, the session
// keeps their scores.
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { type SessionData } from '../../src/bot/index.ts';
import { drillFeature } from '../../src/bot/features/drill.ts';
import { MemorySessionStore } from '../../src/bot/session.ts';
import { loadCalibration } from '../../src/interview/index.ts';
import { silentLogger } from '../../src/log.ts';
import { apiRecorder, textUpdate } from '../helpers/api-recorder.ts';
import { appForTests, inProcessBot } from './setup.ts';

const CHAT = 6101;
const testApp = appForTests();

const say = (text: string): Update => textUpdate(text, { id: CHAT, type: 'private' });

describe('session size', () => {
  it('after 30 answered drills', async () => {
    const store = new MemorySessionStore<SessionData>();
    const practice = new MemorySessionStore<unknown>();
    const feature = drillFeature({ retriever: testApp().index.retriever, logger: silentLogger, random: () => 0 });
    const bot = inProcessBot(testApp(), { storage: store, practice, features: [feature] });
    bot.api.config.use(apiRecorder().transformer);
    const answers = loadCalibration().filter((c) => c.kind === 'strong' && /^[a-z]{2}-\d\d$/.test(c.question ?? '')).slice(0, 30);
    expect(answers).toHaveLength(30);
    for (const a of answers) {
      await bot.handleUpdate(say(`/drill ${a.question}`));
      await bot.handleUpdate(say(a.text.trim()));
    }
    const text = store.data.get(String(CHAT)) ?? '';
    const record = practice.data.get(String(CHAT)) ?? '';
    console.log(`after 30 drills: session ${Buffer.byteLength(text)} bytes, practice record ${Buffer.byteLength(record)} bytes`);
    const session = JSON.parse(text) as SessionData;
    expect(session.history?.attempts).toHaveLength(30);
    expect(session.history?.attempts.some((a) => a.detail)).toBe(false);
    // every attempt's answer is in the practice record
    expect(record).toContain(answers[0]!.text.trim().slice(0, 40));
    expect(Buffer.byteLength(text)).toBeLessThan(12_000);
    feature.dispose();
  }, 120_000);
});
