// The drill's buttons: callback data "d:…" as typed actions, one codec for every drill view.
import { InlineKeyboard } from 'grammy';
import type { QuestionType } from '../interview/index.ts';
import { bareButton, buttonCodec, idButton, type ButtonTable } from './callbacks.ts';

// ---------------------------------------------------------------------------
// Buttons: prefix "d"
// ---------------------------------------------------------------------------

export type DrillAction =
  /** the type picker */
  | { kind: 'picker' }
  /** a new drill of this type (undefined: any type) */
  | { kind: 'pick'; type?: QuestionType }
  /** skip the thinking time */
  | { kind: 'begin' }
  /** give up the question (single) or skip it (mock) */
  | { kind: 'quit' }
  /** the essay excerpt behind a missed key point */
  | { kind: 'miss'; pointId: string; chunkId: string }
  /** the reference answer of a question (after an attempt) */
  | { kind: 'answer'; questionId: string }
  /** score the voice transcript as it is */
  | { kind: 'confirm' }
  /** the user will send a corrected text */
  | { kind: 'edit' }
  /** no answer to the 追问 */
  | { kind: 'skip' }
  | { kind: 'stats' }
  | { kind: 'review' }
  /** a question of the candidate's own: its type corrected */
  | { kind: 'retype'; type: QuestionType }
  /** the parts sent so far are the answer */
  | { kind: 'submit' }
  /** the question-like message is part of the answer after all */
  | { kind: 'keep' }
  /** the question-like message was a question: not part of the answer */
  | { kind: 'notAnswer' }
  /** a review's details: points with the candidate's words, misses with their excerpts */
  | { kind: 'details'; id: string }
  /** the model rewrites the candidate's answer of a review */
  | { kind: 'rewrite'; id: string }
  /** start this question (the daily reminder's button) */
  | { kind: 'start'; questionId: string }
  /** delete the last attempt from the record: asked, then confirmed */
  | { kind: 'deleteLast'; confirmed: boolean; at?: string };

export const DRILL_TYPES: QuestionType[] = ['综合分析', '组织管理', '应急应变', '人际沟通', '现场模拟'];

/** A question type written as its index in DRILL_TYPES. */
function withType<K extends 'pick' | 'retype'>(kind: K, field: string | undefined): Extract<DrillAction, { kind: K }> | undefined {
  const type = /^\d$/.test(field ?? '') ? DRILL_TYPES[Number(field)] : undefined;
  return type ? ({ kind, type } as Extract<DrillAction, { kind: K }>) : undefined;
}

/** Every drill button's callback data, defined once. */
const DRILL_BUTTONS: ButtonTable<DrillAction> = {
  picker: bareButton('picker', 'p'),
  pick: {
    verbs: ['t'],
    encode: (action) => ['t', action.type ? DRILL_TYPES.indexOf(action.type) : 'r'],
    decode: (_verb, [field]) => (field === 'r' ? { kind: 'pick' } : withType('pick', field)),
  },
  begin: bareButton('begin', 'go'),
  quit: bareButton('quit', 'q'),
  miss: {
    verbs: ['m'],
    encode: (action) => ['m', action.pointId, action.chunkId],
    decode: (_verb, fields) => (fields.length === 2 && fields[0] && fields[1] ? { kind: 'miss', pointId: fields[0], chunkId: fields[1] } : undefined),
  },
  answer: idButton('answer', 'a', 'questionId', { whole: true }),
  confirm: bareButton('confirm', 'ok'),
  edit: bareButton('edit', 'ed'),
  skip: bareButton('skip', 'fs'),
  stats: bareButton('stats', 's'),
  review: bareButton('review', 'r'),
  retype: { verbs: ['ty'], encode: (action) => ['ty', DRILL_TYPES.indexOf(action.type)], decode: (_verb, [field]) => withType('retype', field) },
  submit: bareButton('submit', 'sub'),
  keep: bareButton('keep', 'dk'),
  notAnswer: bareButton('notAnswer', 'dq'),
  details: idButton('details', 'det', 'id'),
  rewrite: idButton('rewrite', 'rw', 'id'),
  start: idButton('start', 'st', 'questionId', { whole: true }),
  deleteLast: {
    verbs: ['del', 'delok'],
    encode: (action) => (action.confirmed ? ['delok', action.at ?? ''] : ['del']),
    decode: (verb, [at]) => (verb === 'del' ? { kind: 'deleteLast', confirmed: false } : at ? { kind: 'deleteLast', confirmed: true, at } : undefined),
  },
};

const DRILL_CODEC = buttonCodec<DrillAction>('d', DRILL_BUTTONS);

export function encodeDrill(action: DrillAction): string {
  return DRILL_CODEC.encode(action);
}

/** Parses data made by encodeDrill; undefined for anything else. */
export function decodeDrill(data: string): DrillAction | undefined {
  return DRILL_CODEC.decode(data);
}

/** A button whose data might not fit (odd ids): left out rather than failing the message. */
export function tryButton(keyboard: InlineKeyboard, text: string, action: DrillAction): boolean {
  let data: string;
  try {
    data = encodeDrill(action);
  } catch {
    return false;
  }
  keyboard.text(text, data);
  return true;
}

