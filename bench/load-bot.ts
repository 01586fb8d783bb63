// The bot under `npm run bench:load`, in a process of its own so its CPU time and memory are
// measured apart from the load generator's (fake Bot API, fake model server, simulated users).
// Started by bench/load.ts with fork(): sends {type:'ready'}, and on 'stop' stops polling and
// sends {type:'figures', peakRssMb, cpuS}.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { createBot } from '../src/bot/index.ts';
import { startPolling } from '../src/bot/polling.ts';
import { silentLogger } from '../src/log.ts';
import { drillFeatureFor } from '../src/bot/features/drill.ts';
import { selfReport } from './measure.ts';

async function main(): Promise<void> {
  const env = process.env;
  const config = parseConfig({
    TELEGRAM_BOT_TOKEN: env.LOAD_TOKEN ?? '',
    TELEGRAM_API_ROOT: env.LOAD_API_ROOT ?? '',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'zhili-load-')),
    RATE_LIMIT_BURST: '1000',
    RATE_LIMIT_PER_MINUTE: '10000',
    ...(env.LOAD_OPENAI_BASE_URL ? { OPENAI_API_KEY: 'sk-load-test', OPENAI_BASE_URL: env.LOAD_OPENAI_BASE_URL, OPENAI_TIMEOUT_MS: '20000' } : {}),
  });
  const app = await createApp(config, silentLogger);
  const drills = drillFeatureFor(app, silentLogger, { timing: { tickSeconds: 3600 } });
  const bot = createBot({ config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger: silentLogger, options: { drafts: false }, features: [drills] });
  const polling = await startPolling(bot, silentLogger);
  const startup = selfReport();
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void (async () => {
      drills.dispose();
      await polling.stop();
      const end = selfReport();
      process.send?.({ type: 'figures', peakRssMb: end.peakRssMb, cpuS: Number((end.cpuS - startup.cpuS).toFixed(2)), startupCpuS: startup.cpuS });
      process.exit(0);
    })();
  });
  // the load generator gone (a failed run): nothing is left polling
  process.on('disconnect', () => process.exit(1));
  process.send?.({ type: 'ready' });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
