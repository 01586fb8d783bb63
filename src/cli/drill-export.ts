// The practice record from the command line. The terminal keeps its progress where the terminal
// chat (`npm start` without a token) keeps it: the practice record of its one user, in the same
// stores as the bot (scores in its session under DATA_DIR/sessions, answers and reviews under
// DATA_DIR/practice; Redis with REDIS_URL). `drill run` adds each attempt there;
// `drill export --out file.pdf` writes the same PDF as the bot's /export, for that user or, with
// --user, for a Telegram user id.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createSessionStore, type SessionData } from '../bot/index.ts';
import { loadBank, recordAttempt, type Review } from '../interview/index.ts';
import { renderPracticePdf } from '../interview/practice-pdf.ts';
import { attemptDetailOf } from '../interview/review-record.ts';
import { loadPractice, savePractice } from '../bot/practice-record.ts';

/** The terminal chat's user (and chat) id: its session holds the terminal's progress. */
export const TERMINAL_PRACTICE_KEY = '10000';

/** Adds a scored answer of `drill run` to the terminal's practice record. */
export async function recordTerminalAttempt(config: Config, logger: Logger, review: Review, answer: string): Promise<void> {
  const store = await createSessionStore<SessionData>(config, logger);
  const practice = await createSessionStore<unknown>(config, logger, { name: 'practice' });
  try {
    const session = (await store.read(TERMINAL_PRACTICE_KEY)) ?? { v: 1, turns: [], prefs: {} };
    const history = await loadPractice(practice, TERMINAL_PRACTICE_KEY, session.history);
    const next = recordAttempt(history, review, new Date(), attemptDetailOf(review, answer, { kind: 'text', chars: [...answer.replace(/\s/g, '')].length }));
    session.history = await savePractice(practice, TERMINAL_PRACTICE_KEY, next);
    await store.write(TERMINAL_PRACTICE_KEY, session);
  } finally {
    await practice.close();
    await store.close();
  }
}

export async function runDrillExport(rest: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, user: { type: 'string' } } });
  const out = values.out?.trim();
  if (!out) {
    console.error('请用 --out 指定输出文件,例如 drill export --out 练习记录.pdf');
    return 1;
  }
  const key = values.user?.trim() || TERMINAL_PRACTICE_KEY;
  if (!/^-?\d+(:\d+)?$/.test(key)) {
    console.error('--user 是 Telegram 用户 id(数字)。');
    return 1;
  }
  const store = await createSessionStore<SessionData>(config, logger);
  const practice = await createSessionStore<unknown>(config, logger, { name: 'practice' });
  let history;
  try {
    history = await loadPractice(practice, key, (await store.read(key))?.history);
  } finally {
    await practice.close();
    await store.close();
  }
  const bank = loadBank();
  const pdf = await renderPracticePdf({ history, byId: new Map(bank.map((q) => [q.id, q])), now: new Date() });
  await writeFile(out, pdf);
  console.log(`已写入 ${out}:${history.attempts.length} 次练习,${Math.round(pdf.length / 1024)} KB。`);
  return 0;
}
