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

type Kind = DrillAction['kind'];
type ActionOf<K extends Kind> = Extract<DrillAction, { kind: K }>;

/** How one button's action is written after "d:" (a verb, then its fields) and read back. */
interface ButtonData<K extends Kind> {
  /** every verb this action is written with (the first unless encode picks another) */
  verbs: readonly string[];
  encode(action: ActionOf<K>): Array<string | number>;
  /** undefined when the fields do not make this action (data of an older or foreign button) */
  decode(verb: string, fields: string[]): ActionOf<K> | undefined;
}

/** A button with no fields. */
function bare<K extends Kind>(kind: K, verb: string): ButtonData<K> {
  return { verbs: [verb], encode: () => [verb], decode: () => ({ kind }) as ActionOf<K> };
}

/** A button with one id; ids that contain ":" are read back whole when `whole`. */
function withId<K extends 'answer' | 'start' | 'details' | 'rewrite'>(kind: K, verb: string, field: keyof ActionOf<K> & string, whole = false): ButtonData<K> {
  return {
    verbs: [verb],
    encode: (action) => [verb, String(action[field])],
    decode: (_verb, fields) => (fields[0] ? ({ kind, [field]: whole ? fields.join(':') : fields[0] } as ActionOf<K>) : undefined),
  };
}

/** A question type written as its index in DRILL_TYPES. */
function withType<K extends 'pick' | 'retype'>(kind: K, field: string | undefined): ActionOf<K> | undefined {
  const type = /^\d$/.test(field ?? '') ? DRILL_TYPES[Number(field)] : undefined;
  return type ? ({ kind, type } as ActionOf<K>) : undefined;
}

/** Every drill button's callback data, defined once. */
const BUTTON_DATA: { [K in Kind]: ButtonData<K> } = {
  picker: bare('picker', 'p'),
  pick: {
    verbs: ['t'],
    encode: (action) => ['t', action.type ? DRILL_TYPES.indexOf(action.type) : 'r'],
    decode: (_verb, [field]) => (field === 'r' ? { kind: 'pick' } : withType('pick', field)),
  },
  begin: bare('begin', 'go'),
  quit: bare('quit', 'q'),
  miss: {
    verbs: ['m'],
    encode: (action) => ['m', action.pointId, action.chunkId],
    decode: (_verb, fields) => (fields.length === 2 && fields[0] && fields[1] ? { kind: 'miss', pointId: fields[0], chunkId: fields[1] } : undefined),
  },
  answer: withId('answer', 'a', 'questionId', true),
  confirm: bare('confirm', 'ok'),
  edit: bare('edit', 'ed'),
  skip: bare('skip', 'fs'),
  stats: bare('stats', 's'),
  review: bare('review', 'r'),
  retype: {
    verbs: ['ty'],
    encode: (action) => ['ty', DRILL_TYPES.indexOf(action.type)],
    decode: (_verb, [field]) => withType('retype', field),
  },
  submit: bare('submit', 'sub'),
  keep: bare('keep', 'dk'),
  notAnswer: bare('notAnswer', 'dq'),
  details: withId('details', 'det', 'id'),
  rewrite: withId('rewrite', 'rw', 'id'),
  start: withId('start', 'st', 'questionId', true),
  deleteLast: {
    verbs: ['del', 'delok'],
    encode: (action) => (action.confirmed ? ['delok', action.at ?? ''] : ['del']),
    decode: (verb, [at]) => (verb === 'del' ? { kind: 'deleteLast', confirmed: false } : at ? { kind: 'deleteLast', confirmed: true, at } : undefined),
  },
};

const KIND_OF_VERB = new Map<string, Kind>(
  (Object.keys(BUTTON_DATA) as Kind[]).flatMap((kind) => BUTTON_DATA[kind].verbs.map((verb) => [verb, kind] as const)),
);

export function encodeDrill(action: DrillAction): string {
  // the table pairs each kind with its own codec; TypeScript cannot follow that through the union
  const data = BUTTON_DATA[action.kind] as ButtonData<Kind>;
  return callbackData('d', ...data.encode(action));
}

/** Parses data made by encodeDrill; undefined for anything else. */
export function decodeDrill(data: string): DrillAction | undefined {
  const [prefix, verb, ...fields] = data.split(':');
  const kind = prefix === 'd' && verb !== undefined ? KIND_OF_VERB.get(verb) : undefined;
  return kind ? (BUTTON_DATA[kind] as ButtonData<Kind>).decode(verb ?? '', fields) : undefined;
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

