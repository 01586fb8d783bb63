// Two webhook instances on one Redis: a document uploaded on A, asked about on B; a removal and
// a /reload on A reach B too; a third instance started later has the document from the start.
import { cp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { createBot } from '../../src/bot/index.ts';
import { adminFeature } from '../../src/bot/features/admin.ts';
import { documentsFeature } from '../../src/bot/features/documents.ts';
import { createSharedLibrary, type SharedLibrary } from '../../src/bot/shared-knowledge.ts';
import { createDeduper, startWebhook, type WebhookServer } from '../../src/bot/webhook.ts';
import { silentLogger } from '../../src/log.ts';
import { makePdf } from '../helpers/documents.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { captureLogger } from '../helpers/log-capture.ts';
import { runRedisTests, startRedisServer } from '../helpers/redis.ts';
import { textUpdate as plainTextUpdate } from '../helpers/webhook.ts';
import { buildApp, buttonsOf, messageIdOf, nextText, tempDir, testConfig } from './setup.ts';

const SECRET = 'test-webhook-secret-shared-kb-0123';
const ADMIN = 9601;
const USER = 9602;
const TITLE = '关于推行“楼道议事会”的通知';

interface Instance {
  app: App;
  library: SharedLibrary;
  server: WebhookServer;
  dir: string;
}

async function startInstance(tg: FakeTelegram, redisUrl: string, dirs: Array<{ remove: () => Promise<void> }>): Promise<Instance> {
  const kb = await tempDir('zhili-kb-');
  const data = await tempDir();
  dirs.push(kb, data);
  await cp('knowledge', kb.path, { recursive: true });
  const config = testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path, KNOWLEDGE_DIR: kb.path, REDIS_URL: redisUrl, ADMIN_USER_IDS: String(ADMIN) });
  // as main.ts: the shared documents are mirrored before the first index is built
  const library = await createSharedLibrary(redisUrl, kb.path, silentLogger);
  const app = await buildApp(config);
  await library.listen(() => app.reload());
  const logger = captureLogger(config);
  const admin = adminFeature({ app, queueDepth: () => 0, sessionsKind: () => 'Redis', transport: () => 'webhook', library });
  const bot = createBot({ config, answerer: app.answerer, retriever: app.index.retriever, chat: app.chat, logger, features: [admin, documentsFeature({ app, library })] });
  const server = await startWebhook(bot, { url: 'https://bot.example.com/hook', secret: SECRET, port: 0, host: '127.0.0.1', logger, deduper: await createDeduper(redisUrl, silentLogger) });
  return { app, library, server, dir: kb.path };
}

async function post(instance: Instance, update: Update): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${instance.server.port}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  await response.text();
  expect(response.status).toBe(200);
}

/** A text message; a command carries its bot_command entity, as Telegram sends it. */
function textUpdate(updateId: number, chatId: number, text: string): Update {
  const update = plainTextUpdate(updateId, chatId, text);
  if (text.startsWith('/') && update.message) update.message.entities = [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }];
  return update;
}

/** Bounded polling on local state (the other instance rebuilds on a pub/sub message). */
async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const hasTitle = (instance: Instance, title: string): boolean => instance.app.index.retriever.essays.some((e) => e.title === title);

describe.skipIf(!runRedisTests)('documents shared by two webhook instances on one Redis', () => {
  it('upload on A, ask on B: B answers from the new document; removal and /reload on A reach B; a later instance starts with it', async () => {
    const redis = await startRedisServer();
    const tg = await startFakeTelegram();
    const dirs: Array<{ remove: () => Promise<void> }> = [];
    const instances: Instance[] = [];
    try {
      const a = await startInstance(tg, redis.url, dirs);
      const b = await startInstance(tg, redis.url, dirs);
      instances.push(a, b);
      const pdf = await makePdf({
        title: TITLE,
        pages: [[{ text: '各社区以楼栋为单位成立“楼道议事会”，每月第一个周六上午由楼栋长召集居民商量楼道堆物、电动车充电等身边事。' }]],
      });

      let since = tg.mark();
      await post(a, tg.sendDocument(ADMIN, ADMIN, pdf, { file_name: '楼道议事会.pdf' }));
      await nextText(tg, ADMIN, since, (text) => text.includes(`已加入知识库:《${TITLE}》`), 15_000);
      await until(() => hasTitle(b, TITLE), 'B to rebuild with the upload');
      expect(await readdir(b.dir)).toContain('楼道议事会.pdf');

      since = tg.mark();
      await post(b, textUpdate(700_001, USER, '楼道堆物、电动车充电这些身边事,楼道议事会怎么商量?'));
      const answer = await nextText(tg, USER, since, (text) => text.includes('['), 15_000);
      expect(String(answer.payload['text'])).toContain('楼栋长召集居民');
      expect(String(answer.payload['text'])).toContain(`《${TITLE}》`);

      // a third instance, started after the upload, has the document before its first answer
      const c = await startInstance(tg, redis.url, dirs);
      instances.push(c);
      expect(hasTitle(c, TITLE)).toBe(true);

      // removal on A (after the confirm button) reaches B and C
      since = tg.mark();
      await post(a, textUpdate(700_002, ADMIN, '/remove 楼道议事会.pdf'));
      const confirm = await nextText(tg, ADMIN, since, (text) => text.includes('确定要从知识库删除'));
      since = tg.mark();
      await post(a, tg.pressButton(messageIdOf(confirm), buttonsOf(confirm).find((x) => x.text === '确认删除')!.data, ADMIN));
      await nextText(tg, ADMIN, since, (text) => text.includes('已删除'), 15_000);
      await until(() => !hasTitle(b, TITLE) && !hasTitle(c, TITLE), 'B and C to drop the removed document');
      expect(await readdir(b.dir)).not.toContain('楼道议事会.pdf');

      // /reload on A makes B re-read its directory too
      await writeFile(join(b.dir, 'zz-manual.md'), '---\ntitle: 手工放入的文章\n---\n社区食堂为老年人提供助餐服务。');
      since = tg.mark();
      await post(a, textUpdate(700_003, ADMIN, '/reload'));
      await nextText(tg, ADMIN, since, (text) => text.includes('重新索引完成'), 15_000);
      await until(() => hasTitle(b, '手工放入的文章'), 'B to reload after /reload on A');
    } finally {
      for (const instance of instances) {
        await instance.server.stop();
        await instance.library.close();
      }
      await tg.close();
      await redis.stop();
      for (const dir of dirs) await dir.remove();
    }
  }, 90_000);
});
