// `npm run bench:load`: many users through the fake Bot API, against the real bot started as in
// production (long polling, runner) in a process of its own (bench/load-bot.ts): the figures of
// the bot (CPU, peak RSS) are reported apart from the load generator's, which runs here. Each
// scenario runs several times: min / median / max. A report, not a test.
//   LOAD_CHATS=200 LOAD_QUESTIONS=10 LOAD_MODEL_DELAY_MS=400 LOAD_RUNS=3 npm run bench:load
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { loadQuestions } from '../src/eval/questions.ts';
import { loadBank, loadCalibration } from '../src/interview/index.ts';
import { startFakeOpenAI } from '../tests/helpers/fake-openai.ts';
import { startFakeTelegram, type ApiCall, type FakeTelegram } from '../tests/helpers/fake-telegram.ts';

const CHATS = Number(process.env.LOAD_CHATS ?? 200);
const QUESTIONS = Number(process.env.LOAD_QUESTIONS ?? 10);
const MODEL_DELAY_MS = Number(process.env.LOAD_MODEL_DELAY_MS ?? 400);
// a user reads the answer before asking again: with 200 chats, ~1.5 s gives ~120 updates/s
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 1500);
const TOKEN = '123456789:LOAD-test-token-for-the-benchmark';
const RUNS = Number(process.env.LOAD_RUNS ?? 3);

interface Outcome {
  latencies: number[];
  drillLatencies: number[];
  drillReviews: number;
  seconds: number;
  updates: number;
  replies: number;
  missing: number;
  doubled: number;
  /** the bot's process: peak RSS (incl. building the 1× index at start) and CPU seconds while serving */
  botPeakRssMb: number;
  botCpuS: number;
  /** this process: fake Bot API, fake model server and the simulated users */
  generatorPeakRssMb: number;
  generatorCpuS: number;
  loadAverage: number;
}

interface BotProcess {
  stop(): Promise<{ peakRssMb: number; cpuS: number }>;
}

async function startBot(apiRoot: string, openaiBaseURL?: string): Promise<BotProcess> {
  const child: ChildProcess = fork('bench/load-bot.ts', [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOAD_TOKEN: TOKEN, LOAD_API_ROOT: apiRoot, LOAD_OPENAI_BASE_URL: openaiBaseURL ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { type?: string }): void => {
        if (message?.type !== type) return;
        child.off('message', onMessage);
        resolve(message as Record<string, number>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`bot process exited (${code}) before '${type}'`)));
    });
  await next('ready');
  return {
    async stop() {
      const figures = next('figures');
      child.send('stop');
      const { peakRssMb, cpuS } = await figures;
      return { peakRssMb, cpuS };
    },
  };
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
  const bot = await startBot(tg.apiRoot, openai?.baseURL);
  const bank = loadBank();
  // answers of 200 characters or more are scored at once; shorter ones wait for 「提交作答」. Only
  // answers to bank questions: an answer to a candidate's own question has no /drill to send
  const answers = loadCalibration().filter((a) => Array.from(a.text).length >= 200 && bank.some((q) => q.id === a.question));
  const questions = loadQuestions('eval/questions.jsonl').filter((q) => !q.outOfScope).map((q) => q.question);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuAtStart = process.cpuUsage();
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
  const generatorCpu = process.cpuUsage(cpuAtStart);
  const loadAverage = loadavg()[0];
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
  const botFigures = await bot.stop();
  await tg.close();
  await openai?.close();
  process.stderr.write(`${name} done\n`);
  return { latencies: latencies.sort((a, b) => a - b), drillLatencies: drillLatencies.sort((a, b) => a - b), drillReviews, seconds, updates, replies, missing, doubled,
    botPeakRssMb: botFigures.peakRssMb,
    botCpuS: botFigures.cpuS,
    generatorPeakRssMb: Math.round(peakRss / 1024 / 1024),
    generatorCpuS: Number(((generatorCpu.user + generatorCpu.system) / 1e6).toFixed(2)),
    loadAverage,
  };
}

const spread = (values: number[], digits = 0): string => {
  const sorted = [...values].sort((x, y) => x - y);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return `${sorted[0].toFixed(digits)} / ${median.toFixed(digits)} / ${sorted[sorted.length - 1].toFixed(digits)}`;
};

function report(name: string, runs: Outcome[], modelMs: number): string {
  const of = (f: (o: Outcome) => number, digits = 0): string => spread(runs.map(f), digits);
  const p = (list: (o: Outcome) => number[], q: number) => (o: Outcome): number => percentile(list(o), q);
  const ex = (q: number): string =>
    `${of(p((o) => o.latencies, q))} ms${modelMs > 0 ? ` (不含模型 ~${of((o) => Math.max(0, percentile(o.latencies, q) - modelMs))})` : ''}`;
  const first = runs[0];
  return [
    `${name}: ${CHATS} 个聊天 × (${QUESTIONS} 个问题 + 1 次面试作答) = ${first.updates} 条更新;${runs.length} 次运行,min / median / max`,
    `  用时 s: ${of((o) => o.seconds, 1)};吞吐 updates/s: ${of((o) => o.updates / o.seconds, 1)}`,
    `  更新→最终回复 p50 ${ex(50)}`,
    `  更新→最终回复 p95 ${ex(95)}`,
    `  更新→最终回复 p99 ${ex(99)}`,
    `  最终回答(带出处按钮或拒答): ${of((o) => o.replies)};缺失 ${of((o) => o.missing)};重复 ${of((o) => o.doubled)}`,
    `  面试作答→评分结果 p50 ${of(p((o) => o.drillLatencies, 50))} ms, p95 ${of(p((o) => o.drillLatencies, 95))} ms;评分结果 ${of((o) => o.drillReviews)}/${CHATS}`,
    `  机器人进程:CPU ${of((o) => o.botCpuS, 1)} s,峰值 RSS ${of((o) => o.botPeakRssMb)} MB`,
    `  负载生成进程(假 Bot API、假模型、模拟用户):CPU ${of((o) => o.generatorCpuS, 1)} s,峰值 RSS ${of((o) => o.generatorPeakRssMb)} MB`,
    `  运行结束时的 load average(1 分钟,${cpus().length} 核): ${of((o) => o.loadAverage, 2)}`,
  ].join('\n');
}

async function repeat(name: string, withModel: boolean, thinkMs: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let run = 0; run < RUNS; run += 1) outcomes.push(await scenario(`${name} #${run + 1}`, withModel, thinkMs));
  return outcomes;
}

async function main(): Promise<void> {
  const before = loadavg();
  // steady runs first: what a saturation run leaves behind (garbage, fsyncs) would skew them
  const extractive = await repeat('摘录模式·稳态', false, THINK_MS);
  const llm = await repeat(`大模型模式(假服务器,每次延迟 ${MODEL_DELAY_MS} ms)`, true, THINK_MS);
  const saturation = await repeat('摘录模式·饱和', false, 0);
  console.log('zhili-bot load benchmark (fake Bot API and fake OpenAI server on 127.0.0.1; the bot in its own process)\n');
  console.log(`开始前 load average: ${before.map((x) => x.toFixed(2)).join(' / ')}(1/5/15 分钟,${cpus().length} 核)\n`);
  console.log(report('摘录模式·饱和(用户收到回答立即再问,测最大吞吐)', saturation, 0));
  console.log(report(`摘录模式·稳态(用户看完回答约 ${THINK_MS} ms 后再问)`, extractive, 0));
  console.log(report(`大模型模式·稳态(模型延迟 ${MODEL_DELAY_MS} ms)`, llm, MODEL_DELAY_MS));
  const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];
  const rate = median(saturation.map((o) => o.updates / o.seconds));
  const p95 = median(extractive.map((o) => percentile(o.latencies, 95)));
  const llmP95 = median(llm.map((o) => percentile(o.latencies, 95)));
  const verdict = (ok: boolean): string => (ok ? '达标 ok' : '未达标 MISSED');
  console.log('\ntargets (2-core machine, medians):');
  console.log(`  ≥ 100 extractive answers/s: ${verdict(rate >= 100)} (${rate.toFixed(1)})`);
  console.log(`  p95 ≤ 200 ms excluding model time: ${verdict(p95 <= 200 && llmP95 - MODEL_DELAY_MS <= 200)}`);
  console.log(`  zero lost or doubled replies: ${verdict([...saturation, ...extractive, ...llm].every((o) => o.missing + o.doubled === 0 && o.drillReviews === CHATS))}`);
  console.log(`  (steady-state arrival rate: ${median(extractive.map((o) => o.updates / o.seconds)).toFixed(1)} updates/s)`);
  process.exit(0);
}

void main();
