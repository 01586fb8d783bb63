// The practice record kept apart from the session, through the whole bot in process: a scored
// answer leaves its scores in the session and its answer and review in the practice store; an
// older session with the answers inside hands them over on its next update, whatever that update
// is; a practice store that cannot be read costs no answer (it stays in the session and moves
// once the store is back).
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { type SessionData } from '../../src/bot/index.ts';
import { drillFeature } from '../../src/bot/features/drill.ts';
import { MemorySessionStore } from '../../src/bot/session.ts';
import { emptyHistory, loadBank, loadCalibration, recordAttempt, scoreAnswer } from '../../src/interview/index.ts';
import { attemptDetailOf } from '../../src/interview/review-record.ts';
import { silentLogger } from '../../src/log.ts';
import { apiRecorder, textUpdate } from '../helpers/api-recorder.ts';
import { buildApp, inProcessBot, tempDir, testConfig } from './setup.ts';

let app: App;
let data: { path: string; remove: () => Promise<void> };
const answer = loadCalibration().find((c) => c.question === 'zh-01' && c.kind === 'strong')!.text.trim();

beforeAll(async () => {
  data = await tempDir();
  app = await buildApp(testConfig({ DATA_DIR: data.path }));
});
afterAll(async () => {
  await data?.remove();
});

/** A practice store that fails while `down` is set. */
class FlakyStore extends MemorySessionStore<unknown> {
  down = false;
  override read(key: string): unknown {
    if (this.down) throw new Error('store down');
    return super.read(key);
  }
  override write(key: string, value: unknown): void {
    if (this.down) throw new Error('store down');
    super.write(key, value);
  }
}

function harness(practice: MemorySessionStore<unknown>) {
  const sessions = new MemorySessionStore<SessionData>();
  const feature = drillFeature({ retriever: app.index.retriever, logger: silentLogger, random: () => 0 });
  const bot = inProcessBot(app, { storage: sessions, practice, features: [feature] });
  const recorder = apiRecorder();
  bot.api.config.use(recorder.transformer);
  return { bot, sessions, feature, sent: () => recorder.texts() };
}

const say = (chat: number, text: string): Update => textUpdate(text, { id: chat, type: 'private' });
const detailsIn = (store: MemorySessionStore<unknown>, chat: number): Array<{ at: string; detail: { answer: string } }> =>
  (store.read(String(chat)) as { details?: Array<{ at: string; detail: { answer: string } }> } | undefined)?.details ?? [];

describe('the practice record apart from the session', () => {
  it('a scored answer: scores in the session, the answer and review in the practice store', async () => {
    const practice = new MemorySessionStore<unknown>();
    const h = harness(practice);
    await h.bot.handleUpdate(say(6201, '/drill zh-01'));
    await h.bot.handleUpdate(say(6201, answer));
    expect(h.sent().some((t) => t.includes('评分结果'))).toBe(true);
    const attempt = h.sessions.read('6201')?.history?.attempts[0];
    expect(attempt).toMatchObject({ questionId: 'zh-01' });
    expect(attempt?.detail).toBeUndefined();
    expect(detailsIn(practice, 6201)).toEqual([{ at: attempt?.at, detail: expect.objectContaining({ answer }) }]);
    h.feature.dispose();
  });

  it('an older session with the answers inside hands them over on its next update, whatever it is', async () => {
    const practice = new MemorySessionStore<unknown>();
    const h = harness(practice);
    const question = loadBank().find((q) => q.id === 'zh-01')!;
    const review = await scoreAnswer(question, answer, { retriever: app.index.retriever, logger: silentLogger });
    const history = recordAttempt(emptyHistory(), review, new Date('2025-05-01T12:00:00Z'), attemptDetailOf(review, answer, { kind: 'text', chars: 600 }));
    const old = { v: 1, turns: [], prefs: {}, history, recentReviews: [{ id: 'x', ...history.attempts[0]!.detail }] };
    h.sessions.write('6202', old as unknown as SessionData);
    await h.bot.handleUpdate(say(6202, '/help'));
    const after = h.sessions.read('6202') as SessionData & { recentReviews?: unknown };
    expect(after.history?.attempts).toHaveLength(1);
    expect(after.history?.attempts[0]?.detail).toBeUndefined();
    expect(after.recentReviews).toBeUndefined();
    expect(detailsIn(practice, 6202)[0]?.detail.answer).toBe(answer);
    expect(JSON.stringify(after).length).toBeLessThan(JSON.stringify(old).length / 5);
    h.feature.dispose();
  });

  it('a practice store that is down costs no answer: it waits in the session and moves when the store is back', async () => {
    const practice = new FlakyStore();
    const h = harness(practice);
    practice.down = true;
    await h.bot.handleUpdate(say(6203, '/drill zh-01'));
    await h.bot.handleUpdate(say(6203, answer));
    expect(h.sent().some((t) => t.includes('评分结果'))).toBe(true);
    expect(h.sessions.read('6203')?.history?.attempts[0]?.detail?.answer).toBe(answer);
    practice.down = false;
    await h.bot.handleUpdate(say(6203, '/help'));
    expect(h.sessions.read('6203')?.history?.attempts[0]?.detail).toBeUndefined();
    expect(detailsIn(practice, 6203)[0]?.detail.answer).toBe(answer);
    h.feature.dispose();
  });
});
