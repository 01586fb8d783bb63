// The drill's buttons: callback data "d:…" as typed actions, one codec for every drill view.
import { InlineKeyboard } from 'grammy';
import type { QuestionType } from '../interview/index.ts';
import { callbackData } from './callbacks.ts';

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

export function encodeDrill(action: DrillAction): string {
  switch (action.kind) {
    case 'picker':
      return callbackData('d', 'p');
    case 'pick':
      return callbackData('d', 't', action.type ? DRILL_TYPES.indexOf(action.type) : 'r');
    case 'begin':
      return callbackData('d', 'go');
    case 'quit':
      return callbackData('d', 'q');
    case 'miss':
      return callbackData('d', 'm', action.pointId, action.chunkId);
    case 'answer':
      return callbackData('d', 'a', action.questionId);
    case 'confirm':
      return callbackData('d', 'ok');
    case 'edit':
      return callbackData('d', 'ed');
    case 'skip':
      return callbackData('d', 'fs');
    case 'stats':
      return callbackData('d', 's');
    case 'review':
      return callbackData('d', 'r');
    case 'retype':
      return callbackData('d', 'ty', DRILL_TYPES.indexOf(action.type));
    case 'submit':
      return callbackData('d', 'sub');
    case 'keep':
      return callbackData('d', 'dk');
    case 'notAnswer':
      return callbackData('d', 'dq');
    case 'details':
      return callbackData('d', 'det', action.id);
    case 'rewrite':
      return callbackData('d', 'rw', action.id);
    case 'start':
      return callbackData('d', 'st', action.questionId);
    case 'deleteLast':
      return action.confirmed ? callbackData('d', 'delok', action.at ?? '') : callbackData('d', 'del');
  }
}

/** Parses data made by encodeDrill; undefined for anything else. */
export function decodeDrill(data: string): DrillAction | undefined {
  const [prefix, verb, ...rest] = data.split(':');
  if (prefix !== 'd') return undefined;
  switch (verb) {
    case 'p':
      return { kind: 'picker' };
    case 't': {
      if (rest[0] === 'r') return { kind: 'pick' };
      const type = /^\d$/.test(rest[0] ?? '') ? DRILL_TYPES[Number(rest[0])] : undefined;
      return type ? { kind: 'pick', type } : undefined;
    }
    case 'go':
      return { kind: 'begin' };
    case 'q':
      return { kind: 'quit' };
    case 'm':
      return rest.length === 2 && rest[0] && rest[1] ? { kind: 'miss', pointId: rest[0], chunkId: rest[1] } : undefined;
    case 'a':
      return rest[0] ? { kind: 'answer', questionId: rest.join(':') } : undefined;
    case 'ok':
      return { kind: 'confirm' };
    case 'ed':
      return { kind: 'edit' };
    case 'fs':
      return { kind: 'skip' };
    case 's':
      return { kind: 'stats' };
    case 'r':
      return { kind: 'review' };
    case 'sub':
      return { kind: 'submit' };
    case 'dk':
      return { kind: 'keep' };
    case 'dq':
      return { kind: 'notAnswer' };
    case 'det':
      return rest[0] ? { kind: 'details', id: rest[0] } : undefined;
    case 'rw':
      return rest[0] ? { kind: 'rewrite', id: rest[0] } : undefined;
    case 'st':
      return rest[0] ? { kind: 'start', questionId: rest.join(':') } : undefined;
    case 'del':
      return { kind: 'deleteLast', confirmed: false };
    case 'delok':
      return rest[0] ? { kind: 'deleteLast', confirmed: true, at: rest[0] } : undefined;
    case 'ty': {
      const type = /^\d$/.test(rest[0] ?? '') ? DRILL_TYPES[Number(rest[0])] : undefined;
      return type ? { kind: 'retype', type } : undefined;
    }
    default:
      return undefined;
  }
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

