import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../app.ts';
import { loadBank, missesHeading, OWN_QUESTION_ID, questionFromText, QUESTION_TYPES, reviewJson, rewriteAnswer, scoreAnswer, scoreFollowUp, type InterviewQuestion, type QuestionType, type Review } from '../interview/index.ts';
import { chooseQuestion } from '../interview/drill.ts';
import { followUpLines, FOLLOW_UP_SCORE_NOTE, hitLabel, moveLabel } from '../interview/review-record.ts';
import { recordTerminalAttempt, runDrillExport } from './drill-export.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('请输入作答内容,结束后按 Ctrl-D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function reviewText(review: Review): string {
  const lines = [
    `【${review.type}】${review.question}`,
    ...(review.typeSource === 'detected' ? [`(题型由题干判断为“${review.type}”;不对的话用 --type 指定,如 --type 人际沟通)`] : []),
    '',
    `总分 ${review.total} / 100(${review.band})${review.mode === 'offline' ? ' · 离线规则评分' : ' · 大模型评分'}`,
    ...review.notices.map((n) => `注意:${n}`),
    '',
    ...review.dimensions.map((d) => `  ${d.name.padEnd(10, ' ')} ${d.score.toFixed(1)} / ${d.max}`),
    '',
    ...(review.points.length === 0
      ? ['(文章里没有找到与这道题直接相关的段落,本题只按题型的答题环节评分。)', '']
      : [
          '答到的要点:',
          ...(review.hits.length ? review.hits.map((h) => `  ${hitLabel(h)}\n    “${h.evidence}”`) : ['  (无)']),
          `${missesHeading(review)}:`,
          ...(review.misses.length
            ? review.misses.map((m) => `  ${review.questionId === OWN_QUESTION_ID ? '·' : '✗'} ${m.point}${m.citation ? `\n    《${m.citation.title}》:“${m.citation.quote.replace(/\n/g, ' ').slice(0, 120)}…”` : ''}`)
            : ['  (无)']),
          '',
        ]),
    '改进建议:',
    ...(review.feedback.length > 0 ? review.feedback.map((f) => `  · ${f}`) : ['  (这份回答没有找到需要特别指出的问题。)']),
  ];
  if (review.followUp) lines.push('', `追问:${review.followUp}`);
  if (review.moves && review.typeSource !== 'bank') {
    lines.splice(lines.indexOf('改进建议:'), 0, `${review.type}题的答题环节:`, ...review.moves.map((m) => `  ${moveLabel(m)}`), '');
  }
  if (review.modelAnswer) {
    lines.push('', '参考答案:', review.modelAnswer);
    (review.modelAnswerSources ?? []).forEach((s, i) => lines.push(`  [${i + 1}] 《${s.title}》${s.section ? ` · ${s.section}` : ''}`));
  }
  return lines.join('\n');
}

/** --minutes and --type as `drill run` and `drill score` take them, or what is wrong with them. */
function answerOptions(values: { minutes?: string; type?: string }): { minutes: number; type?: QuestionType } | { error: string } {
  const minutes = values.minutes === undefined ? 3 : Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 10) return { error: '--minutes 是每题作答的分钟数(1–10,默认 3;2 分钟模式用 --minutes 2)。' };
  const type = values.type?.trim() as QuestionType | undefined;
  if (type && !QUESTION_TYPES.includes(type)) return { error: `--type 只能是:${QUESTION_TYPES.join('、')}。` };
  return { minutes, type };
}

type DrillApp = Awaited<ReturnType<typeof createApp>>;

/** A bank question by its id, otherwise the text as a question of the candidate's own. */
async function questionFor(app: DrillApp, asked: string, type: QuestionType | undefined): Promise<InterviewQuestion> {
  return (app.bank ?? loadBank()).find((q) => q.id === asked) ?? (await questionFromText(asked, app.index.retriever, type));
}

function typeSourceOf(question: InterviewQuestion, type: QuestionType | undefined): 'bank' | 'chosen' | 'detected' {
  if (question.id !== OWN_QUESTION_ID) return 'bank';
  return type ? 'chosen' : 'detected';
}

function examinerFor(app: DrillApp, logger: Logger, minutes: number) {
  return { chat: app.chat, retriever: app.index.retriever, logger, time: { limitSeconds: Math.round(minutes * 60) } };
}

/** Reads answers from the terminal: each ends with an empty line (or the end of input). */
function answerReader(): { next(prompt: string): Promise<string | undefined>; close(): void } {
  const lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  let ended = false;
  return {
    async next(prompt: string) {
      if (ended) return undefined;
      process.stderr.write(prompt);
      const parts: string[] = [];
      for (;;) {
        const { value, done } = await lines.next();
        if (done) {
          ended = true;
          break;
        }
        if (value.trim() === '') {
          if (parts.length > 0) break;
          continue;
        }
        parts.push(value);
      }
      return parts.length > 0 ? parts.join('\n') : undefined;
    },
    close() {
      void lines.return?.();
    },
  };
}

/** `drill run`: a whole drill in the terminal — the question, the answer, the review, the 追问 and its answer. */
async function runWholeDrill(rest: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({ args: rest, options: { question: { type: 'string' }, type: { type: 'string' }, minutes: { type: 'string' } } });
  const options = answerOptions(values);
  if ('error' in options) {
    console.error(options.error);
    return 1;
  }
  const { minutes, type } = options;
  const app = await createApp(config, logger);
  const asked = values.question?.trim();
  const question = asked ? await questionFor(app, asked, type) : chooseQuestion(app.bank ?? loadBank(), type);
  if (!question) {
    console.error('题库里没有这样的题目。');
    return 1;
  }
  const examiner = examinerFor(app, logger, minutes);
  console.log(`【${question.type}】${question.id !== OWN_QUESTION_ID ? `(${question.id})` : '(自拟题目)'}\n${question.stem}\n\n思考 1 分钟,作答 ${minutes} 分钟(约 ${Math.round(minutes * 170)}–${Math.round(minutes * 215)} 字)。`);
  const reader = answerReader();
  try {
    const answer = await reader.next('\n请输入作答,空一行结束:\n');
    if (!answer) {
      console.log('没有收到作答,本题不计分。');
      return 0;
    }
    const review = await scoreAnswer(question, answer, { ...examiner, typeSource: typeSourceOf(question, type) });
    console.log(`\n${reviewText(review)}`);
    await recordTerminalAttempt(config, logger, review, answer).catch((error: unknown) => logger.warn('drill.record_failed', { error }));
    if (!review.followUp) return 0;
    const reply = await reader.next(`\n考官追问:${review.followUp}\n请回答(约 1 分钟),空一行结束;直接结束输入则跳过:\n`);
    if (!reply) {
      console.log('(跳过了追问)');
      return 0;
    }
    const followUp = await scoreFollowUp(question, review.misses.map((m) => m.pointId), review.followUp, reply, examiner);
    console.log(['', '追问回答反馈:', ...followUpLines(followUp).map((line) => `  ${line}`), `(${FOLLOW_UP_SCORE_NOTE})`].join('\n'));
    return 0;
  } finally {
    reader.close();
  }
}

export async function runDrill(args: string[], config: Config, logger: Logger): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const bank = loadBank();
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
    if (values.json) {
      console.log(JSON.stringify(bank.map((q) => ({ id: q.id, type: q.type, ability: q.ability, topic: q.topic, stem: q.stem, keyPoints: q.keyPoints.length }))));
    } else {
      for (const q of bank) console.log(`${q.id.padEnd(6)} 【${q.type}】${q.topic}\n       ${q.stem}`);
      console.log(`\n共 ${bank.length} 题。`);
    }
    return 0;
  }
  if (sub === 'run') return runWholeDrill(rest, config, logger);
  if (sub === 'export') return runDrillExport(rest, config, logger);
  if (sub === 'score') {
    const { values } = parseArgs({
      args: rest,
      options: {
        question: { type: 'string' },
        type: { type: 'string' },
        minutes: { type: 'string' },
        rewrite: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const asked = values.question?.trim();
    if (!asked) {
      console.error('请用 --question 指定题目编号(如 zh-01)或直接给出题目文字。');
      return 1;
    }
    const options = answerOptions(values);
    if ('error' in options) {
      console.error(options.error);
      return 1;
    }
    const app = await createApp(config, logger);
    const question = await questionFor(app, asked, options.type);
    const answer = await readStdin();
    const review = await scoreAnswer(question, answer, { ...examinerFor(app, logger, options.minutes), typeSource: typeSourceOf(question, options.type) });
    console.log(values.json ? JSON.stringify(reviewJson(review)) : reviewText(review));
    if (values.rewrite) {
      if (!app.chat) {
        console.log('\n改写你的回答需要配置大模型(OPENAI_API_KEY / OPENAI_BASE_URL);离线模式只给评分和参考答案。');
        return 0;
      }
      try {
        const rewrite = await rewriteAnswer(question, answer, review, app.chat);
        console.log(['', '改写你的回答(大模型):', rewrite.rewritten, '', '改了什么:', ...rewrite.changes.map((c) => `  · ${c}`)].join('\n'));
      } catch (error) {
        logger.warn('drill.rewrite_failed', { error });
        console.log('\n这次没能生成改写(大模型返回的结果无效或暂时不可用),评分不受影响。');
      }
    }
    return 0;
  }
  console.error('用法:drill list [--json] | drill run [--question <编号|题目>] [--type 题型] [--minutes 3] | drill score --question <编号|题目> [--type 题型] [--minutes 3] [--rewrite] [--json](作答从标准输入读取)| drill export --out 文件.pdf [--user <Telegram 用户 id>]');
  return 1;
}
