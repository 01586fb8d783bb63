import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../app.ts';
import { loadBank, questionFromText, reviewJson, scoreAnswer, type Review } from '../interview/index.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('请输入作答内容,结束后按 Ctrl-D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reviewText(review: Review): string {
  const lines = [
    `【${review.type}】${review.question}`,
    '',
    `总分 ${review.total} / 100(${review.band})${review.mode === 'offline' ? ' · 离线规则评分' : ' · 大模型评分'}`,
    ...review.notices.map((n) => `注意:${n}`),
    '',
    ...review.dimensions.map((d) => `  ${d.name.padEnd(10, ' ')} ${d.score.toFixed(1)} / ${d.max}`),
    '',
    '答到的要点:',
    ...(review.hits.length ? review.hits.map((h) => `  ✓ ${h.point}\n    “${h.evidence}”`) : ['  (无)']),
    '没答到的要点:',
    ...(review.misses.length
      ? review.misses.map((m) => `  ✗ ${m.point}${m.citation ? `\n    《${m.citation.title}》:“${m.citation.quote.replace(/\n/g, ' ').slice(0, 120)}…”` : ''}`)
      : ['  (无)']),
    '',
    '改进建议:',
    ...review.feedback.map((f) => `  · ${f}`),
  ];
  if (review.followUp) lines.push('', `追问:${review.followUp}`);
  if (review.modelAnswer) lines.push('', '参考答案:', review.modelAnswer);
  return lines.join('\n');
}

export async function runDrill(args: string[], config: Config, logger: Logger): Promise<number> {
  const [sub, ...rest] = args;
  const bank = loadBank();
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
    if (values.json) {
      console.log(JSON.stringify(bank.map((q) => ({ id: q.id, type: q.type, ability: q.ability, topic: q.topic, stem: q.stem, keyPoints: q.keyPoints.length }))));
    } else {
      for (const q of bank) console.log(`${q.id.padEnd(6)} 【${q.type}】${q.topic}\n       ${q.stem}`);
      console.log(`\n共 ${bank.length} 题。`);
    }
    return 0;
  }
  if (sub === 'score') {
    const { values } = parseArgs({ args: rest, options: { question: { type: 'string' }, json: { type: 'boolean', default: false } } });
    const asked = values.question?.trim();
    if (!asked) {
      console.error('请用 --question 指定题目编号(如 zh-01)或直接给出题目文字。');
      return 1;
    }
    const app = await createApp(config, logger);
    const question = bank.find((q) => q.id === asked) ?? (await questionFromText(asked, app.index.retriever));
    const answer = await readStdin();
    const review = await scoreAnswer(question, answer, { chat: app.chat, retriever: app.index.retriever, logger });
    console.log(values.json ? JSON.stringify(reviewJson(review)) : reviewText(review));
    return 0;
  }
  console.error('用法:drill list [--json] | drill score --question <编号|题目> [--json](作答从标准输入读取)');
  return 1;
}
