// Views of the practice record (/history): the list page by page, one attempt reopened, its
// answer verbatim, the delete confirmation, and 常漏要点. Buttons: prefix "h".
import { InlineKeyboard } from 'grammy';
import type { Attempt } from '../interview/index.ts';
import { HISTORY_PAGE_SIZE, type HistoryPage, type OftenMissedMove, type OftenMissedPoint } from '../interview/history.ts';
import type { PointCitation } from '../interview/types.ts';
import { bareButton, buttonCodec, idButton, numberButton, type ButtonTable } from './callbacks.ts';
import { encodeDrill, tryButton } from './drill-actions.ts';
import { scoreSheetBlock } from './render-review.ts';
import { bold, clip, compose, italic, para, plain, quoteBlock, type Block, type OutMessage } from './render.ts';
import { OWN_QUESTION_ID } from '../interview/index.ts';

export type HistoryAction =
  | { kind: 'page'; page: number }
  | { kind: 'open'; id: string }
  | { kind: 'answer'; id: string }
  | { kind: 'details'; id: string }
  | { kind: 'model'; id: string }
  | { kind: 'delete'; id: string; confirmed: boolean }
  | { kind: 'missed' };

/** attempt ids: base-36 timestamps */
const ATTEMPT_ID = /^[0-9a-z]{1,12}$/;
const attemptButton = <K extends 'open' | 'answer' | 'details' | 'model'>(kind: K, verb: string) => idButton(kind, verb, 'id', { pattern: ATTEMPT_ID });

/** Every /history button's callback data, defined once. */
const HISTORY_BUTTONS: ButtonTable<HistoryAction> = {
  page: numberButton('page', 'p', 'page', /^\d{1,4}$/),
  open: attemptButton('open', 'o'),
  answer: attemptButton('answer', 'a'),
  details: attemptButton('details', 'd'),
  model: attemptButton('model', 'm'),
  delete: {
    verbs: ['x', 'X'],
    encode: (action) => [action.confirmed ? 'X' : 'x', action.id],
    decode: (verb, [id]) => (id && ATTEMPT_ID.test(id) ? { kind: 'delete', id, confirmed: verb === 'X' } : undefined),
  },
  missed: bareButton('missed', 'w'),
};

const HISTORY_CODEC = buttonCodec<HistoryAction>('h', HISTORY_BUTTONS);

export function encodeHistory(action: HistoryAction): string {
  return HISTORY_CODEC.encode(action);
}

export function decodeHistory(data: string): HistoryAction | undefined {
  return HISTORY_CODEC.decode(data);
}

/** "06-01 20:31" in China's time (where the candidates are). */
export function shortTime(at: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(at));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function renderHistoryPage(view: HistoryPage): OutMessage[] {
  const first = view.page * HISTORY_PAGE_SIZE;
  const lines = view.attempts.map(({ attempt, question }, i) => `${first + i + 1}. ${shortTime(attempt.at)} ${attempt.type} · ${attempt.total} 分(${attempt.band})\n   ${clip(question, 28)}`);
  const keyboard = new InlineKeyboard();
  view.attempts.forEach(({ id }, i) => {
    keyboard.text(String(first + i + 1), encodeHistory({ kind: 'open', id }));
    if (i % 4 === 3) keyboard.row();
  });
  keyboard.row();
  if (view.page > 0) keyboard.text('‹ 上一页', encodeHistory({ kind: 'page', page: view.page - 1 }));
  if (view.page < view.pages - 1) keyboard.text('下一页 ›', encodeHistory({ kind: 'page', page: view.page + 1 }));
  keyboard.row().text('🎯 常漏要点', encodeHistory({ kind: 'missed' }));
  return compose(
    [
      para(bold(`📚 练习记录`), plain(`(共 ${view.total} 次${view.pages > 1 ? `,第 ${view.page + 1}/${view.pages} 页` : ''})`)),
      para(plain(lines.join('\n'))),
      para(italic('点编号查看这次的作答原文、点评和参考答案。')),
    ],
    keyboard,
  );
}

export function renderNoAttempts(): OutMessage[] {
  return compose([para(plain('还没有练习记录。发送 /drill 练一道题,答完后这里会列出每次的题目、得分和点评。'))], new InlineKeyboard().text('开始练习', encodeDrill({ kind: 'picker' })));
}

/** The keyboard under a reopened attempt: its answer, details, model answer, delete, back. */
export function attemptKeyboard(id: string, attempt: Attempt): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (attempt.detail) keyboard.text('我的作答', encodeHistory({ kind: 'answer', id })).text('要点与原文', encodeHistory({ kind: 'details', id })).row();
  if (attempt.questionId && attempt.questionId !== OWN_QUESTION_ID) keyboard.text('参考答案', encodeDrill({ kind: 'answer', questionId: attempt.questionId }));
  else if (attempt.detail?.modelAnswer) keyboard.text('参考提纲', encodeHistory({ kind: 'model', id }));
  keyboard.text('删除这次记录', encodeHistory({ kind: 'delete', id, confirmed: false })).row();
  keyboard.text('‹ 返回列表', encodeHistory({ kind: 'page', page: 0 }));
  return keyboard;
}

/** An attempt kept with its scores only (older than the detailed ones, or from before they were kept). */
export function renderScoresOnly(attempt: Attempt, question: string): OutMessage[] {
  return compose([
    para(bold(`🗂 ${shortTime(attempt.at)} · ${attempt.type}`)),
    quoteBlock(plain(clip(question, 200))),
    scoreSheetBlock(attempt),
    para(italic('这次练习较早,只保留了分数,没有保留作答原文和点评。')),
  ]);
}

export function renderAttemptAnswer(attempt: Attempt, question: string, answer: string): OutMessage[] {
  return compose([para(bold(`✍️ 我的作答 · ${shortTime(attempt.at)}`)), quoteBlock(plain(clip(question, 200))), para(plain(answer))]);
}

export function renderOwnOutline(question: string, outline: string): OutMessage[] {
  return compose([para(bold('📘 参考提纲')), quoteBlock(plain(question)), para(plain(outline))]);
}

export function renderDeleteAttemptConfirm(id: string, attempt: Attempt, question: string): OutMessage[] {
  const keyboard = new InlineKeyboard().text('确定删除', encodeHistory({ kind: 'delete', id, confirmed: true }));
  return compose(
    [para(bold('删除这次练习记录?'), plain(`\n${shortTime(attempt.at)}(北京时间)· ${attempt.type} · ${attempt.total} 分(${attempt.band})\n${clip(question, 40)}\n删除后统计和复习安排会按剩下的记录重算。`))],
    keyboard,
  );
}

export interface OftenMissedView {
  points: Array<OftenMissedPoint & { citation?: PointCitation }>;
  moves: OftenMissedMove[];
}

const MAX_LISTED = 8;

export function renderOftenMissed(view: OftenMissedView): OutMessage[] {
  if (view.points.length === 0 && view.moves.length === 0) {
    return compose([para(bold('🎯 常漏要点')), para(plain('目前没有反复漏掉的要点:同一道题的同一个采分点漏答 2 次以上、或同一题型的同一答题环节漏掉 2 次以上,才会列在这里。'))]);
  }
  const blocks: Block[] = [para(bold('🎯 常漏要点'), plain('(漏答 2 次及以上)'))];
  const keyboard = new InlineKeyboard();
  const points = view.points.slice(0, MAX_LISTED);
  if (points.length > 0) {
    const lines = points.map((p, i) => {
      const excerpt = p.citation ? `\n   原文:《${p.citation.title}》「${clip(p.citation.quote, 60)}」` : '';
      return `${i + 1}. ${p.point.weight >= 3 ? '【重点】' : ''}${p.point.point}\n   ${p.question.id} · ${p.question.type}:${p.attempts} 次练习漏了 ${p.missed} 次${excerpt}`;
    });
    blocks.push(para(plain(lines.join('\n'))));
    points.forEach((p, i) => {
      // an id too long for a button: the excerpt above still shows
      if (p.citation && tryButton(keyboard, `📖 ${i + 1}. ${clip(p.point.point, 16)}`, { kind: 'miss', pointId: p.point.id, chunkId: p.citation.chunkId })) keyboard.row();
    });
  }
  if (view.moves.length > 0) {
    const lines = view.moves.slice(0, MAX_LISTED).map((m) => `· ${m.type}:${m.move}(${m.attempts} 次中漏了 ${m.missed} 次)`);
    blocks.push(para(bold('常漏的答题环节'), plain(`\n${lines.join('\n')}`)));
  }
  blocks.push(para(italic('下次练这些题时先把这几点列进提纲。')));
  return compose(blocks, keyboard);
}
