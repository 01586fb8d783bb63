// `npm start` without TELEGRAM_BOT_TOKEN, or `npm run cli -- chat`: the bot in the terminal.
import { createApp } from '../app.ts';
import { secretsOf, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { appBotDeps, createBot, createSessionStore, type SessionData } from '../bot/index.ts';
import { runTerminal, TERMINAL_TOKEN, terminalBotInfo } from '../bot/terminal.ts';
import { drillFeatureFor } from '../bot/features/drill.ts';
import { practiceFeatures } from '../bot/features/practice.ts';

export function terminalBanner(config: Config, mode: 'extractive' | 'llm', essays: number, chunks: number, model?: string): string {
  const tokenNote = config.telegramToken
    ? '(已设置 TELEGRAM_BOT_TOKEN,但这里不连接 Telegram;用 npm start 运行真正的机器人。)'
    : '(没有设置 TELEGRAM_BOT_TOKEN,所以在终端里运行同一个 Telegram 机器人。)';
  const modeText =
    mode === 'llm'
      ? `大模型模式(模型 ${model ?? config.openai?.model ?? ''}):大模型根据文章摘录作答,每句标注出处,找不到出处的句子标“(无出处)”。`
      : '摘录模式(未配置 OPENAI_API_KEY):回答中的句子都直接摘自文章原文。';
  return [
    '智理 · 基层治理问答机器人 —— 本地终端模式',
    tokenNote,
    `回答方式:${modeText}`,
    `知识库:${essays} 篇文章,${chunks} 个段落。`,
    '每输入一行就是发给机器人的一条消息;输入按钮前的数字点击按钮;输入“@ 关键词”试用内联搜索;/help 查看命令;/exit 或 Ctrl+D 退出。',
  ].join('\n');
}

export async function runTerminalChat(config: Config, logger: Logger): Promise<number> {
  process.stdout.write('正在加载知识库…\n');
  const app = await createApp(config, logger);
  const storage = await createSessionStore<SessionData>(config, logger);
  const practice = await createSessionStore<unknown>(config, logger, { name: 'practice' });
  const bot = createBot({
    ...appBotDeps(app, logger, storage),
    practice,
    // a terminal reprints an edited message: the countdown only at its turning points and once a minute
    features: [drillFeatureFor(app, logger, { sessions: storage, timing: { tickSeconds: 60 } }), ...practiceFeatures(app, logger)],
    token: TERMINAL_TOKEN,
    // botInfo: no getMe; the terminal transformer answers every other call
    botConfig: { botInfo: terminalBotInfo() },
  });
  for (const warning of app.index.warnings) process.stdout.write(`注意:${warning}\n`);
  const retriever = app.index.retriever;
  try {
    await runTerminal(bot, {
      input: process.stdin,
      output: process.stdout,
      banner: terminalBanner(config, app.answerer.mode, retriever.essays.length, retriever.chunks.length, app.chat?.label),
      userId: config.allowedUserIds[0] ?? config.adminUserIds[0],
      secrets: secretsOf(config),
    });
  } finally {
    await practice.close();
    await storage.close();
  }
  return 0;
}
