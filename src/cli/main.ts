#!/usr/bin/env node
// `npm run -s cli -- <command>`: search, ask, ingest, eval, chat, drill.
import { loadConfigOrExplain, secretsOf } from '../config.ts';
import { createLogger, redact } from '../log.ts';
import { lazyLogger } from './lazy-logger.ts';

const USAGE = `用法 (usage): npm run -s cli -- <command>

  search "<问题>" [--k 5] [--json]   检索相关段落
  ask "<问题>" [--json]              回答问题并给出引用
  ingest [文件或文件夹…] [--dir 目录]  把 PDF/Word/网页/Markdown/文本加入知识库并重建索引(不带参数只重建)
  eval [--json]                      运行检索与问答评测
  chat                               终端聊天(驱动同一个 Telegram 机器人)
  drill list [--json]                列出面试题库
  drill run [--question <id|题目>] [--type 题型] [--minutes 3]   在终端里完整练一道题(作答、点评、追问)
  drill score --question <id|题目> [--json]   从标准输入读取作答并评分
  drill export --out 文件.pdf [--user <id>]   导出练习记录(PDF;默认终端练习的记录)

不带问题参数时,search/ask 从标准输入逐行读取问题(配合 --json 每行输出一个 JSON)。`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  // a one-off question: jieba's dictionary loads in a worker thread meanwhile (see
  // retrieval/segmenter-worker.ts); started first, so it overlaps everything up to the answer
  if (command === 'search' || command === 'ask') {
    const [{ preloadSegmenterInWorker }, { EVERYDAY_WORDS }] = await Promise.all([import('../retrieval/tokenize.ts'), import('../retrieval/everyday-lexicon.ts')]);
    // the query analysis cuts every entry of the everyday lexicon at the first question
    preloadSegmenterInWorker(() => Object.keys(EVERYDAY_WORDS));
  }
  const config = loadConfigOrExplain();
  if (!config) return 2;
  // the CLI is quiet unless LOG_LEVEL asks for more; stdout stays for results
  const level = process.env.LOG_LEVEL ? config.logLevel : 'warn';
  const logger = lazyLogger(level, () => createLogger({ level, secrets: secretsOf(config) }));
  switch (command) {
    case 'search':
    case 'ask': {
      const { runQuery } = await import('./query.ts');
      return runQuery(command, rest, config, logger);
    }
    case 'ingest': {
      const { runIngest } = await import('./ingest.ts');
      return runIngest(config, logger, rest);
    }
    case 'eval': {
      const { runEval } = await import('./eval.ts');
      return runEval(rest, config, logger);
    }
    case 'chat': {
      const { runTerminalChat } = await import('./chat.ts');
      return runTerminalChat(config, logger);
    }
    case 'drill': {
      const { runDrill } = await import('./drill.ts');
      return runDrill(rest, config, logger);
    }
    default:
      console.error(`未知命令:${command}\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(redact(`出错了:${error instanceof Error ? error.message : String(error)}`, []));
    process.exitCode = 1;
  },
);
