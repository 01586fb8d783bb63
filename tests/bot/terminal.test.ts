// The terminal chat: the same bot with an in-process Bot API, driven by lines of text.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { createBot } from '../../src/bot/index.ts';
import { MemorySessionStore } from '../../src/bot/session.ts';
import type { SessionData } from '../../src/bot/context.ts';
import { htmlToTerminal, runTerminal, TERMINAL_TOKEN, terminalBotInfo } from '../../src/bot/terminal.ts';
import { silentLogger } from '../../src/log.ts';
import { buildApp, childEnv, tempDir, testConfig } from './setup.ts';

const QUESTION = '天津市怎样用网格化管理服务社区居民?';
const TSX_CLI = resolve('node_modules/tsx/dist/cli.mjs');
const MAIN = resolve('src/main.ts');

describe('terminal chat, in process', () => {
  let app: App;
  let data: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    data = await tempDir();
    app = await buildApp(testConfig({ DATA_DIR: data.path, TELEGRAM_BOT_TOKEN: undefined }));
  });
  afterAll(async () => {
    await data?.remove();
  });

  async function chat(lines: string[], color = false): Promise<string> {
    const bot = createBot({
      config: app.config,
      answerer: app.answerer,
      retriever: app.index.retriever,
      logger: silentLogger,
      storage: new MemorySessionStore<SessionData>(),
      token: TERMINAL_TOKEN,
      botConfig: { botInfo: terminalBotInfo() },
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const done = runTerminal(bot, { input, output, banner: '终端模式横幅', color });
    for (const line of lines) input.write(`${line}\n`);
    input.end();
    await done;
    return text;
  }

  it('shows the welcome, answers, and presses buttons typed as numbers', async () => {
    const out = await chat([QUESTION, '1', '1', '那具体应该怎么做?']);
    expect(out.startsWith('终端模式横幅\n')).toBe(true);
    expect(out).toContain('我是「智理」基层治理问答助手');
    expect(out).toMatch(/ {2}1\) 北辰区的基层治理经验是什么\?/);
    expect(out).toContain(`你> ${QUESTION}`);
    expect(out).toMatch(/\[1\] 《基层党建引领社区治理的创新实践与经验启示》付玉红、王秀梅/);
    // "1" pressed the answer's first source button, then the excerpt's paragraph button
    expect(out).toContain('原文摘录 p05#02');
    expect(out).toContain('│ 2.完善党建网格,优化社区网格化管理。');
    expect(out).toContain('智理(更新了消息):');
    expect(out).toContain('上下文段落');
    expect(out).toContain(`结合上一个问题「${QUESTION}」作答`);
    expect(out).not.toContain('<b>');
    expect(out).not.toContain('\x1b[');
    expect(out.trimEnd().endsWith('再见!')).toBe(true);
  });

  it('inline search with "@ 关键词", /exit ends the chat, colors only when asked', async () => {
    const out = await chat(['@ 网格化', '1', '/exit', QUESTION], true);
    expect(out).toContain('内联搜索结果');
    expect(out).toContain('你(通过 @zhili_bot)发送了:');
    expect(out).toContain('\x1b[1m');
    expect(out).not.toContain(`你> ${QUESTION}`);
  });

  it('HTML becomes readable terminal text', () => {
    const html = '<b>粗</b> <i>斜</i> &lt;a&gt; &amp; &#20013; <blockquote>引用\n第二行</blockquote><a href="https://example.com">链接</a>';
    expect(htmlToTerminal(html, false)).toBe('粗 斜 <a> & 中 \n│ 引用\n│ 第二行链接 (https://example.com)');
    expect(htmlToTerminal('<b>粗</b>', true)).toBe('\x1b[1m粗\x1b[22m');
  });
});

describe('terminal chat, as a process', () => {
  it('`npm start` without a token answers a question typed on stdin, then exits 0 when stdin closes', async () => {
    const data = await tempDir();
    try {
      // cwd: a folder without .env, so only this environment counts
      const child = spawn(process.execPath, [TSX_CLI, MAIN], {
        cwd: data.path,
        env: childEnv({ DATA_DIR: data.path }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdin.write(`${QUESTION}\n`);
      child.stdin.end();
      const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('本地终端模式');
      expect(stdout).toContain('摘录模式');
      expect(stdout).toContain(`你> ${QUESTION}`);
      expect(stdout).toMatch(/网格化管理.*\[1\]/);
      expect(stdout).toContain('出处');
      expect(stdout).toContain('再见!');
    } finally {
      await data.remove();
    }
  });
});
