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

export function encodeAction(action: Action): string {
  switch (action.kind) {
    case 'source':
      return callbackData('src', action.chunkId);
    case 'context':
      return callbackData('ctx', action.chunkId);
    case 'excerpt':
      return callbackData('exc', action.chunkId);
    case 'essays':
      return callbackData('el');
    case 'essay':
      return callbackData('e', action.essayId);
    case 'section':
      return callbackData('sec', action.essayId, action.index);
    case 'example':
      return callbackData('ex', action.index);
    case 'mode':
      return callbackData('m', action.mode === 'llm' ? 'l' : 'e');
  }
}

/** Parses data made by encodeAction; undefined for anything else (old or foreign buttons). */
export function decodeAction(data: string): Action | undefined {
  const [verb, ...rest] = data.split(':');
  const arg = rest.join(':');
  switch (verb) {
    case 'src':
      return arg ? { kind: 'source', chunkId: arg } : undefined;
    case 'ctx':
      return arg ? { kind: 'context', chunkId: arg } : undefined;
    case 'exc':
      return arg ? { kind: 'excerpt', chunkId: arg } : undefined;
    case 'el':
      return { kind: 'essays' };
    case 'e':
      return arg ? { kind: 'essay', essayId: arg } : undefined;
    case 'sec': {
      const [essayId, index] = rest;
      return essayId && /^\d+$/.test(index ?? '') ? { kind: 'section', essayId, index: Number(index) } : undefined;
    }
    case 'ex':
      return /^\d+$/.test(arg) ? { kind: 'example', index: Number(arg) } : undefined;
    case 'm':
      return arg === 'l' ? { kind: 'mode', mode: 'llm' } : arg === 'e' ? { kind: 'mode', mode: 'extractive' } : undefined;
    default:
      return undefined;
  }
}

/** Regex for grammY's bot.callbackQuery() matching the given verbs. */
export function verbs(...names: string[]): RegExp {
  return new RegExp(`^(?:${names.join('|')})(?::|$)`);
}
