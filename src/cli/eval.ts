import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../app.ts';
import { evaluate, formatReport, loadQuestions, targetFailures } from '../eval/evaluate.ts';

export async function runEval(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, questions: { type: 'string', default: 'eval/questions.jsonl' } },
  });
  const app = await createApp(config, logger);
  const report = await evaluate(loadQuestions(values.questions), app.index.retriever, app.answerer);
  const failures = targetFailures(report);
  if (values.json) console.log(JSON.stringify({ ...report, failures }));
  else {
    console.log(`模式:${app.answerer.mode === 'llm' ? '大模型' : '摘录'};向量:${app.index.retriever.embedder.label}\n`);
    console.log(formatReport(report));
    console.log(failures.length === 0 ? '\n全部达到目标。' : `\n未达目标:\n- ${failures.join('\n- ')}`);
  }
  return failures.length === 0 ? 0 : 1;
}
