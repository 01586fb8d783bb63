// Telegram messages as blocks of styled spans: HTML escaping, and splitting a long message at
// sentence ends without cutting a tag. The one place that builds Telegram HTML; nothing else in
// the bot concatenates it.
import type { InlineKeyboardMarkup } from 'grammy/types';

/** Telegram's limit, counted on the visible text after entity parsing (UTF-16 units). */
export const MESSAGE_LIMIT = 4096;
/** Where we split: a margin below the limit. */
export const SPLIT_AT = 4000;
/** Longest question we try to answer. */
export const MAX_QUESTION_CHARS = 1000;

export type Style = 'b' | 'i' | 'u' | 'code';
export interface Span {
  text: string;
  style?: Style;
}
export interface Block {
  spans: Span[];
  quote?: boolean;
}

/** One Telegram message: its HTML, the same content as plain text (fallback), and buttons. */
export interface OutMessage {
  html: string;
  text: string;
  keyboard?: InlineKeyboardMarkup;
}

// ---------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const TAGS: Record<Style, string> = { b: 'b', i: 'i', u: 'u', code: 'code' };

function spanHtml(span: Span): string {
  if (span.text === '') return '';
  const body = escapeHtml(span.text);
  return span.style ? `<${TAGS[span.style]}>${body}</${TAGS[span.style]}>` : body;
}

function blockText(block: Block): string {
  return block.spans.map((s) => s.text).join('');
}

function blockHtml(block: Block): string {
  const inner = block.spans.map(spanHtml).join('');
  return block.quote ? `<blockquote>${inner}</blockquote>` : inner;
}

// span and block builders, exported for views kept in their own module (render-drill.ts)
export const plain = (text: string): Span => ({ text });
export const bold = (text: string): Span => ({ text, style: 'b' });
export const italic = (text: string): Span => ({ text, style: 'i' });
export const para = (...spans: Span[]): Block => ({ spans });
export const quoteBlock = (...spans: Span[]): Block => ({ spans, quote: true });

/** Shortens to n code points with an ellipsis. */
export function clip(text: string, n: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= n ? chars.join('') : `${chars.slice(0, Math.max(1, n - 1)).join('')}…`;
}

// ---------------------------------------------------------------------------
// Splitting
// ---------------------------------------------------------------------------

const SENTENCE_END = /[。！？!?；;…\n]+[”’」』)）"']*|\.(?=\s)/g;
const SOFT_BREAK = /[，,、:：\s]/g;

/** Offsets where a text longer than `limit` is cut: at sentence ends when possible. */
export function cutPoints(text: string, limit = SPLIT_AT): number[] {
  const cuts: number[] = [];
  let start = 0;
  while (text.length - start > limit) {
    const window = text.slice(start, start + limit);
    let cut = lastMatchEnd(window, SENTENCE_END);
    if (cut < limit * 0.5) cut = Math.max(cut, lastMatchEnd(window, SOFT_BREAK));
    if (cut < limit * 0.3) cut = limit;
    // never split a surrogate pair
    const code = text.charCodeAt(start + cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    start += cut;
    cuts.push(start);
  }
  return cuts;
}

function lastMatchEnd(text: string, pattern: RegExp): number {
  let end = -1;
  for (const m of text.matchAll(pattern)) end = m.index + m[0].length;
  return end;
}

/** Splits plain text into pieces of at most `limit` characters, at sentence ends. */
export function splitText(text: string, limit = SPLIT_AT): string[] {
  const cuts = [0, ...cutPoints(text, limit), text.length];
  const pieces: string[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) pieces.push(text.slice(cuts[i], cuts[i + 1]));
  return pieces.filter((p) => p.length > 0);
}

function splitBlock(block: Block, limit: number): Block[] {
  const text = blockText(block);
  const cuts = cutPoints(text, limit);
  if (cuts.length === 0) return [block];
  const bounds = [0, ...cuts, text.length];
  const out: Block[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const spans: Span[] = [];
    let offset = 0;
    for (const span of block.spans) {
      const s = Math.max(from, offset);
      const e = Math.min(to, offset + span.text.length);
      if (e > s) spans.push({ ...span, text: span.text.slice(s - offset, e - offset) });
      offset += span.text.length;
    }
    out.push({ ...block, spans });
  }
  return out;
}

const GAP = '\n\n';

/** Packs blocks into messages below the limit; the keyboard goes on the last one. */
export function compose(blocks: Block[], keyboard?: InlineKeyboardMarkup, limit = SPLIT_AT): OutMessage[] {
  const pieces = blocks.filter((b) => blockText(b).trim() !== '').flatMap((b) => splitBlock(b, limit));
  const groups: Block[][] = [];
  let current: Block[] = [];
  let length = 0;
  for (const block of pieces) {
    const size = blockText(block).length;
    const added = current.length === 0 ? size : size + GAP.length;
    if (current.length > 0 && length + added > limit) {
      groups.push(current);
      current = [];
      length = 0;
    }
    length += current.length === 0 ? size : size + GAP.length;
    current.push(block);
  }
  if (current.length > 0) groups.push(current);
  if (groups.length === 0) groups.push([para(plain('…'))]);
  return groups.map((group, i) => ({
    html: group.map(blockHtml).join(GAP),
    text: group.map(blockText).join(GAP),
    ...(keyboard && i === groups.length - 1 && keyboard.inline_keyboard.length > 0 ? { keyboard } : {}),
  }));
}

/** Plain text for streamed previews (sent without parse_mode), kept under the limit. */
export function previewText(textSoFar: string): string {
  const text = textSoFar.trim();
  return text.length <= SPLIT_AT ? text : `${text.slice(0, SPLIT_AT - 1)}…`;
}
