// Callback data for inline buttons: short "verb:arg" strings, always within Telegram's 64 bytes.
//
// Prefixes used by the built-in features: src, ctx, exc, el, e, sec, ex, m, x.
// A feature added through createBot({ features }) picks its own prefix (e.g. "d" for drills)
// and builds its data with callbackData(), which enforces the limit.

export const CALLBACK_DATA_LIMIT = 64;

export type Action =
  /** show one excerpt verbatim (a new message) */
  | { kind: 'source'; chunkId: string }
  /** show the paragraph around an excerpt (edits the excerpt message) */
  | { kind: 'context'; chunkId: string }
  /** back from the paragraph to the excerpt (edits) */
  | { kind: 'excerpt'; chunkId: string }
  /** the essay list */
  | { kind: 'essays' }
  /** one essay: abstract and sections */
  | { kind: 'essay'; essayId: string }
  /** the excerpts of one section of an essay */
  | { kind: 'section'; essayId: string; index: number }
  /** ask one of EXAMPLE_QUESTIONS */
  | { kind: 'example'; index: number }
  /** answer preference */
  | { kind: 'mode'; mode: 'llm' | 'extractive' };

export class CallbackDataTooLongError extends Error {}

/** Joins parts with ":" and checks the UTF-8 size; throws on overflow (a programming error). */
export function callbackData(...parts: Array<string | number>): string {
  const data = parts.join(':');
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes === 0 || bytes > CALLBACK_DATA_LIMIT) {
    throw new CallbackDataTooLongError(`callback data must be 1-${CALLBACK_DATA_LIMIT} bytes, got ${bytes}: ${data.slice(0, 80)}`);
  }
  return data;
}

// ---- one definition per button -----------------------------------------------------------------

type Kinded = { kind: string };

/** How one kind of action is written after the prefix (its verb, then its fields) and read back. */
export interface ButtonData<A extends Kinded> {
  /** every verb the action is written with */
  verbs: readonly string[];
  encode(action: A): Array<string | number>;
  /** undefined when the fields do not make this action (an older or a foreign button) */
  decode(verb: string, fields: string[]): A | undefined;
}

/** Every kind of a feature's actions with its button data. */
export type ButtonTable<A extends Kinded> = { [K in A['kind']]: ButtonData<Extract<A, { kind: K }>> };

export interface ButtonCodec<A> {
  encode(action: A): string;
  /** undefined for data this codec did not make */
  decode(data: string): A | undefined;
}

/** The codec of one feature's buttons, made from its table; `prefix` (e.g. "d") comes before every verb. */
export function buttonCodec<A extends Kinded>(prefix: string | undefined, table: ButtonTable<A>): ButtonCodec<A> {
  // the table pairs each kind with its own data; TypeScript cannot follow that through the union
  const dataOf = (kind: A['kind']): ButtonData<A> => table[kind] as unknown as ButtonData<A>;
  const kindOfVerb = new Map<string, A['kind']>();
  for (const kind of Object.keys(table) as Array<A['kind']>) for (const verb of dataOf(kind).verbs) kindOfVerb.set(verb, kind);
  return {
    encode: (action) => callbackData(...(prefix === undefined ? [] : [prefix]), ...dataOf(action.kind).encode(action)),
    decode: (data) => {
      const parts = data.split(':');
      if (prefix !== undefined && parts.shift() !== prefix) return undefined;
      const [verb = '', ...fields] = parts;
      const kind = kindOfVerb.get(verb);
      return kind === undefined ? undefined : dataOf(kind).decode(verb, fields);
    },
  };
}

/** A button with no fields. */
export function bareButton<K extends string>(kind: K, verb: string): ButtonData<{ kind: K }> {
  return { verbs: [verb], encode: () => [verb], decode: () => ({ kind }) };
}

/**
 * A button with one id. `whole`: an id with ":" in it is read back whole; `pattern`: what an id
 * must look like.
 */
export function idButton<K extends string, F extends string>(
  kind: K,
  verb: string,
  field: F,
  options: { whole?: boolean; pattern?: RegExp } = {},
): ButtonData<{ kind: K } & Record<F, string>> {
  return {
    verbs: [verb],
    encode: (action) => [verb, action[field]],
    decode: (_verb, fields) => {
      const id = options.whole ? fields.join(':') : (fields[0] ?? '');
      if (id === '' || (options.pattern && !options.pattern.test(id))) return undefined;
      return { kind, [field]: id } as { kind: K } & Record<F, string>;
    },
  };
}

/** A button with one whole number. */
export function numberButton<K extends string, F extends string>(kind: K, verb: string, field: F, pattern = /^\d+$/): ButtonData<{ kind: K } & Record<F, number>> {
  return {
    verbs: [verb],
    encode: (action) => [verb, action[field]],
    decode: (_verb, [value]) => (pattern.test(value ?? '') ? ({ kind, [field]: Number(value) } as { kind: K } & Record<F, number>) : undefined),
  };
}

const BUILT_IN_BUTTONS: ButtonTable<Action> = {
  source: idButton('source', 'src', 'chunkId', { whole: true }),
  context: idButton('context', 'ctx', 'chunkId', { whole: true }),
  excerpt: idButton('excerpt', 'exc', 'chunkId', { whole: true }),
  essays: bareButton('essays', 'el'),
  essay: idButton('essay', 'e', 'essayId', { whole: true }),
  section: {
    verbs: ['sec'],
    encode: (action) => ['sec', action.essayId, action.index],
    decode: (_verb, [essayId, index]) => (essayId && /^\d+$/.test(index ?? '') ? { kind: 'section', essayId, index: Number(index) } : undefined),
  },
  example: numberButton('example', 'ex', 'index'),
  mode: {
    verbs: ['m'],
    encode: (action) => ['m', action.mode === 'llm' ? 'l' : 'e'],
    decode: (_verb, fields) => {
      const arg = fields.join(':');
      return arg === 'l' ? { kind: 'mode', mode: 'llm' } : arg === 'e' ? { kind: 'mode', mode: 'extractive' } : undefined;
    },
  },
};

const BUILT_IN = buttonCodec<Action>(undefined, BUILT_IN_BUTTONS);

export function encodeAction(action: Action): string {
  return BUILT_IN.encode(action);
}

/** Parses data made by encodeAction; undefined for anything else (old or foreign buttons). */
export function decodeAction(data: string): Action | undefined {
  return BUILT_IN.decode(data);
}

/** Regex for grammY's bot.callbackQuery() matching the given verbs. */
export function verbs(...names: string[]): RegExp {
  return new RegExp(`^(?:${names.join('|')})(?::|$)`);
}
