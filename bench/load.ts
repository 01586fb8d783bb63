// `npm run bench:load`: many users through the fake Bot API, against the real bot started as in
// production (long polling, runner). A report, not a test.
//   LOAD_CHATS=200 LOAD_QUESTIONS=10 LOAD_MODEL_DELAY_MS=400 npm run bench:load
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { createBot } from '../src/bot/index.ts';
import { startPolling } from '../src/bot/polling.ts';
import { silentLogger } from '../src/log.ts';
import { loadQuestions } from '../src/eval/questions.ts';
import { drillFeatureFor } from '../src/bot/features/drill.ts';
import { loadBank, loadCalibration } from '../src/interview/index.ts';
import { startFakeOpenAI } from '../tests/helpers/fake-openai.ts';
import { startFakeTelegram, type ApiCall, type FakeTelegram } from '../tests/helpers/fake-telegram.ts';

const CHATS = Number(process.env.LOAD_CHATS ?? 200);
const QUESTIONS = Number(process.env.LOAD_QUESTIONS ?? 10);
const MODEL_DELAY_MS = Number(process.env.LOAD_MODEL_DELAY_MS ?? 400);
// a user reads the answer before asking again: with 200 chats, ~1.5 s gives ~120 updates/s
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 1500);
const TOKEN = '123456789:LOAD-test-token-for-the-benchmark';

interface Outcome {
  latencies: number[];
  drillLatencies: number[];
  drillReviews: number;
  seconds: number;
  updates: number;
  replies: number;
  missing: number;
  doubled: number;
  peakRssMb: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * A final answer: the HTML message carrying the answer's source buttons (src:…), sent, or
 * (LLM mode, streamed) edited into the preview message; or a refusal.
 */
function isFinalReply(call: ApiCall, chatId: number): boolean {
  if ((call.method !== 'sendMessage' && call.method !== 'editMessageText') || call.ok !== true) return false;
  if (Number(call.payload['chat_id']) !== chatId || call.payload['parse_mode'] !== 'HTML') return false;
  const markup = call.payload['reply_markup'] as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
  const cited = (markup?.inline_keyboard ?? []).flat().some((button) => button.callback_data?.startsWith('src:'));
  // one eval question is (wrongly) refused: its refusal is its final reply
  return cited || String(call.payload['text']).includes('没有涉及');
}

async function waitForReply(tg: FakeTelegram, chatId: number, since: number, timeoutMs = 60_000): Promise<ApiCall> {
  return tg.waitFor((call) => isFinalReply(call, chatId), timeoutMs, { since });
}

async function scenario(name: string, withModel: boolean, thinkMs: number): Promise<Outcome> {
  const tg = await startFakeTelegram({ token: TOKEN });
  const openai = withModel ? await startFakeOpenAI({ delayMs: MODEL_DELAY_MS, responder: () => '坚持党建引领,推动多方参与[1]。健全议事协商机制[2]。' }) : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'zhili-load-'));
  const config = parseConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    DATA_DIR: dataDir,
    RATE_LIMIT_BURST: '1000',
    RATE_LIMIT_PER_MINUTE: '10000',
    ...(openai ? { OPENAI_API_KEY: 'sk-load-test', OPENAI_BASE_URL: openai.baseURL, OPENAI_TIMEOUT_MS: '20000' } : {}),
  });
  const app = await createApp(config, silentLogger);
  const drills = drillFeatureFor(app, silentLogger, { timing: { tickSeconds: 3600 } });
  const bot = createBot({ config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger: silentLogger, options: { drafts: false }, features: [drills] });
  const bank = loadBank();
  const answers = loadCalibration();
  const polling = await startPolling(bot, silentLogger);
  const questions = loadQuestions('eval/questions.jsonl').filter((q) => !q.outOfScope).map((q) => q.question);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const latencies: number[] = [];
  const drillLatencies: number[] = [];
  let updates = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CHATS }, async (_, c) => {
      const chatId = 100_000 + c;
      // mulberry32, seeded per chat: think times spread out instead of arriving in lockstep
      let seed = Math.imul(c + 1, 2654435761) >>> 0;
      const random = (): number => {
        seed = (seed + 0x6d2b79f5) >>> 0;
        let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      for (let i = 0; i < QUESTIONS; i += 1) {
        if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + random())));
        const since = tg.mark();
        const sent = performance.now();
        tg.sendText(chatId, chatId, questions[(c * QUESTIONS + i) % questions.length]);
        updates += 1;
        await waitForReply(tg, chatId, since);
        latencies.push(performance.now() - sent);
      }
      // and one drill answer: /drill, then the answer, scored (offline here, the examiner model otherwise)
      const sample = answers[c % answers.length];
      const question = bank.find((q) => q.id === sample.question);
      if (!question) return;
      let since = tg.mark();
      tg.sendText(chatId, chatId, `/drill ${question.id}`);
      updates += 1;
      await tg.waitFor((call) => call.method === 'sendMessage' && Number(call.payload['chat_id']) === chatId && String(call.payload['text']).includes('结构化面试练习'), 60_000, { since });
      since = tg.mark();
      const sent = performance.now();
      tg.sendText(chatId, chatId, sample.text);
      updates += 1;
      await tg.waitFor((call) => call.method === 'sendMessage' && Number(call.payload['chat_id']) === chatId && String(call.payload['text']).includes('评分结果'), 60_000, { since });
      drillLatencies.push(performance.now() - sent);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show up here
  let replies = 0;
  let missing = 0;
  let doubled = 0;
  for (let c = 0; c < CHATS; c += 1) {
    const chatId = 100_000 + c;
    const count = tg.calls.filter((call) => isFinalReply(call, chatId)).length;
    replies += count;
    if (count < QUESTIONS) missing += QUESTIONS - count;
    if (count > QUESTIONS) doubled += count - QUESTIONS;
  }
  const drillReviews = tg.calls.filter((call) => call.method === 'sendMessage' && String(call.payload['text']).includes('评分结果')).length;
  drills.dispose();
  await polling.stop();
  await tg.close();
  await openai?.close();
  process.stderr.write(`${name} done\n`);
  return { latencies: latencies.sort((a, b) => a - b), drillLatencies: drillLatencies.sort((a, b) => a - b), drillReviews, seconds, updates, replies, missing, doubled, peakRssMb: Math.round(peakRss / 1024 / 1024) };
}

function report(name: string, o: Outcome, modelMs: number): string {
  const rate = o.updates / o.seconds;
  const ex = (ms: number): string => `${ms.toFixed(0)} ms${modelMs > 0 ? ` (不含模型 ~${Math.max(0, ms - modelMs).toFixed(0)} ms)` : ''}`;
  return [
    `${name}: ${CHATS} 个聊天 × (${QUESTIONS} 个问题 + 1 次面试作答) = ${o.updates} 条更新,用时 ${o.seconds.toFixed(1)} s`,
    `  吞吐 updates/s: ${rate.toFixed(1)}`,
    `  更新→最终回复 p50 ${ex(percentile(o.latencies, 50))}, p95 ${ex(percentile(o.latencies, 95))}, p99 ${ex(percentile(o.latencies, 99))}`,
    `  最终回答(带出处按钮或拒答): ${o.replies};缺失 ${o.missing};重复 ${o.doubled}`,
    `  面试作答→评分结果 p50 ${percentile(o.drillLatencies, 50).toFixed(0)} ms, p95 ${percentile(o.drillLatencies, 95).toFixed(0)} ms;评分结果 ${o.drillReviews}/${CHATS}`,
    `  峰值内存 RSS: ${o.peakRssMb} MB`,
  ].join('\n');
}

async function main(): Promise<void> {
  // steady runs first: what a saturation run leaves behind (garbage, fsyncs) would skew them
  const extractive = await scenario('摘录模式·稳态', false, THINK_MS);
  const llm = await scenario(`大模型模式(假服务器,每次延迟 ${MODEL_DELAY_MS} ms)`, true, THINK_MS);
  const saturation = await scenario('摘录模式·饱和', false, 0);
  console.log('zhili-bot load benchmark (fake Bot API and fake OpenAI server on 127.0.0.1)\n');
  console.log(report('摘录模式·饱和(用户收到回答立即再问,测最大吞吐)', saturation, 0));
  console.log(report(`摘录模式·稳态(用户看完回答约 ${THINK_MS} ms 后再问)`, extractive, 0));
  console.log(report(`大模型模式·稳态(模型延迟 ${MODEL_DELAY_MS} ms)`, llm, MODEL_DELAY_MS));
  const rate = saturation.updates / saturation.seconds;
  const p95 = percentile(extractive.latencies, 95);
  const verdict = (ok: boolean): string => (ok ? '达标 ok' : '未达标 MISSED');
  console.log('\ntargets (2-core machine):');
  console.log(`  ≥ 100 extractive answers/s: ${verdict(rate >= 100)} (${rate.toFixed(1)})`);
  console.log(`  p95 ≤ 200 ms excluding model time: ${verdict(p95 <= 200 && percentile(llm.latencies, 95) - MODEL_DELAY_MS <= 200)}`);
  console.log(`  zero lost or doubled replies: ${verdict([saturation, extractive, llm].every((o) => o.missing + o.doubled === 0 && o.drillReviews === CHATS))}`);
  console.log(`  (steady-state arrival rate: ${(extractive.updates / extractive.seconds).toFixed(1)} updates/s)`);
  process.exit(0);
}

void main();
