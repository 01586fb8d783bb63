import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp, type App } from '../app.ts';
import type { Answer } from '../answer/types.ts';
import { SUGGESTIONS_INTRO } from '../answer/answerer.ts';

export function answerJson(answer: Answer): Record<string, unknown> {
  return {
    question: answer.question,
    grounded: answer.grounded,
    mode: answer.mode,
    coverage: answer.coverage,
    ...(answer.gaps ? { gaps: answer.gaps } : {}),
    answer: answer.answer,
    citations: answer.citations.map((c) => ({ n: c.n, chunkId: c.chunkId, essayId: c.essayId, title: c.title, quote: c.quote })),
    ms: answer.ms,
    ...(answer.notice ? { notice: answer.notice } : {}),
    ...(answer.uncitedSentences.length > 0 ? { uncitedSentences: answer.uncitedSentences } : {}),
  };
}

export function answerText(answer: Answer): string {
  // as in the chat: a partly covered question first says what the essays do and do not say
  const lines = [answer.notice ? `(${answer.notice})` : '', answer.gaps ? `(${answer.gaps})` : '', answer.answer].filter(Boolean);
  if (answer.citations.length > 0) {
    lines.push('', '出处:');
    for (const c of answer.citations) {
      const by = [c.authors.join('、'), c.publication ? `${c.publication}${c.issue ? ` ${c.issue}` : ''}` : ''].filter(Boolean).join(' · ');
      lines.push(`[${c.n}] 《${c.title}》${by ? ` ${by}` : ''}${c.section ? ` — ${c.section}` : ''}`);
      lines.push(`    “${c.quote.replace(/\n/g, ' ')}”`);
    }
  }
  if (answer.citations.length === 0 && answer.suggestions.length > 0) {
    lines.push('', SUGGESTIONS_INTRO, ...answer.suggestions.map((q) => `  · ${q}`));
  }
  if (answer.mode === 'extractive' && answer.grounded) lines.push('', '(摘录模式:未配置大模型,以上句子均为文章原文。)');
  return lines.join('\n');
}

async function runOne(app: App, command: 'search' | 'ask', question: string, k: number, json: boolean): Promise<string> {
  if (command === 'ask') {
    const answer = await app.answerer.answer(question);
    return json ? JSON.stringify(answerJson(answer)) : answerText(answer);
  }
  const result = await app.index.retriever.search(question, { k });
  if (json) {
    return JSON.stringify({
      query: question,
      covered: result.covered,
      results: result.hits.map((hit) => ({
        rank: hit.rank,
        chunkId: hit.chunk.id,
        essayId: hit.essay.id,
        title: hit.essay.title,
        text: hit.chunk.text,
        score: Math.round(hit.score * 10000) / 10000,
      })),
    });
  }
  if (!result.covered) return `知识库没有涉及「${question}」(相关度 ${result.relevance.toFixed(2)})。`;
  return result.hits
    .map((hit) => `${hit.rank}. [${hit.chunk.id}] 《${hit.essay.title}》${hit.chunk.section ? ` — ${hit.chunk.section}` : ''}\n   ${hit.chunk.text.replace(/\n/g, ' ')}`)
    .join('\n');
}

export async function runQuery(command: 'search' | 'ask', args: string[], config: Config, logger: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { k: { type: 'string', default: String(config.topK) }, json: { type: 'boolean', default: false } },
  });
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) {
    console.error('--k 应为 1 到 50 之间的整数。');
    return 1;
  }
  const app = await createApp(config, logger);
  const question = positionals.join(' ').trim();
  if (question) {
    console.log(await runOne(app, command, question, k, values.json));
    return 0;
  }
  // one question per line from stdin: one process answers many questions
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const q = line.trim();
    if (!q) continue;
    console.log(await runOne(app, command, q, k, values.json));
  }
  return 0;
}
