/**
 * Telegram Bot API "HTML" parse_mode parser, modelled on TDLib's parse_html()
 * (td/telegram/MessageEntity.cpp): same tag set, same error texts, entity offsets in
 * UTF-16 code units. Used by fake-telegram.ts; re-exported from there.
 */
import type { MessageEntity } from 'grammy/types';

export interface ParsedText {
  /** visible text (tags removed, entities decoded), NOT trimmed */
  text: string;
  /** Bot API entities, offsets/lengths in UTF-16 code units, sorted by offset */
  entities: MessageEntity[];
}

export interface HtmlParseOptions {
  /**
   * When true (default), a `&` that does not start a recognised entity
   * (&lt; &gt; &amp; &quot; &#NN; &#xHH;) is an error. Real Telegram is lenient here and
   * keeps the `&` literally; the fake is stricter on purpose so unescaped output is caught.
   */
  strictAmpersand?: boolean;
}

/** Thrown for invalid HTML; `message` is the text after "Bad Request: can't parse entities: ". */
export class HtmlParseError extends Error {
  override name = 'HtmlParseError';
}

const SUPPORTED_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

interface OpenTag {
  tag: string;
  offset: number;
  attrs: Map<string, string>;
  /** language from a nested <code class="language-x"> inside <pre> */
  preLanguage?: string;
}

/** Decodes an HTML entity starting at cps[pos] === '&'. Returns the char and next index, or undefined. */
function decodeEntity(cps: readonly string[], pos: number): { ch: string; next: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (cps[end] === '#') {
    end++;
    let digits = 0;
    if (cps[end] === 'x' || cps[end] === 'X') {
      end++;
      while (end < cps.length && /^[0-9a-fA-F]$/.test(cps[end] ?? '')) {
        code = code * 16 + parseInt(cps[end] ?? '0', 16);
        end++;
        digits++;
      }
    } else {
      while (end < cps.length && /^[0-9]$/.test(cps[end] ?? '')) {
        code = code * 10 + Number(cps[end]);
        end++;
        digits++;
      }
    }
    if (digits === 0 || code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
    if (code >= 0xd800 && code <= 0xdfff) return undefined;
  } else {
    while (end < cps.length && /^[a-zA-Z]$/.test(cps[end] ?? '')) end++;
    const name = cps.slice(pos + 1, end).join('');
    const map: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const v = map[name];
    if (v === undefined) return undefined;
    code = v;
  }
  if (cps[end] === ';') end++;
  return { ch: String.fromCodePoint(code), next: end };
}

/** Parses Telegram-flavoured HTML. Throws HtmlParseError with Telegram's wording. */
export function parseTelegramHtml(html: string, options: HtmlParseOptions = {}): ParsedText {
  const strictAmp = options.strictAmpersand ?? true;
  const cps = Array.from(html);
  const n = cps.length;
  const byteOff: number[] = [];
  {
    let b = 0;
    for (const cp of cps) {
      byteOff.push(b);
      b += Buffer.byteLength(cp, 'utf8');
    }
    byteOff.push(b);
  }
  const bo = (k: number): number => byteOff[Math.min(k, n)] ?? 0;
  const at = (k: number): string | undefined => cps[k];
  function fail(msg: string): never {
    throw new HtmlParseError(msg);
  }

  let out = '';
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < n) {
    const c = at(i);
    if (c === '&') {
      const dec = decodeEntity(cps, i);
      if (dec) {
        out += dec.ch;
        i = dec.next;
        continue;
      }
      if (strictAmp) fail(`Unescaped "&" at byte offset ${bo(i)}: use &amp;`);
      out += '&';
      i++;
      continue;
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (at(i) === '/') {
      // ----- end tag -----
      i++;
      const nameStart = i;
      while (i < n && !isSpace(at(i)) && at(i) !== '>') i++;
      const endName = cps.slice(nameStart, i).join('').toLowerCase();
      while (i < n && isSpace(at(i))) i++;
      if (at(i) !== '>') fail(`Unclosed end tag at byte offset ${bo(begin)}`);
      i++;
      const top = stack[stack.length - 1];
      if (top === undefined) fail(`Unexpected end tag at byte offset ${bo(begin)}`);
      const open = top;
      if (endName !== '' && endName !== open.tag) {
        fail(`Unmatched end tag at byte offset ${bo(begin)}, expected "</${open.tag}>", found "</${endName}>"`);
      }
      stack.pop();
      const length = out.length - open.offset;
      if (length > 0) {
        const entity = entityFor(open, length, out.slice(open.offset), stack[stack.length - 1]);
        if (entity) entities.push(entity);
      }
      continue;
    }
    // ----- start tag -----
    const nameStart = i;
    while (i < n && !isSpace(at(i)) && at(i) !== '>') i++;
    if (i >= n) fail(`Unclosed start tag at byte offset ${bo(begin)}`);
    const tag = cps.slice(nameStart, i).join('').toLowerCase();
    if (!SUPPORTED_TAGS.has(tag)) fail(`Unsupported start tag "${tag}" at byte offset ${bo(begin)}`);
    const attrs = new Map<string, string>();
    for (;;) {
      while (i < n && isSpace(at(i))) i++;
      if (i >= n) fail(`Unclosed start tag at byte offset ${bo(begin)}`);
      if (at(i) === '>') {
        i++;
        break;
      }
      const attrStart = i;
      while (i < n && !isSpace(at(i)) && at(i) !== '=' && at(i) !== '>') i++;
      const attrName = cps.slice(attrStart, i).join('').toLowerCase();
      if (attrName === '') fail(`Empty attribute name in the tag "${tag}" at byte offset ${bo(begin)}`);
      while (i < n && isSpace(at(i))) i++;
      if (at(i) !== '=') {
        if (tag === 'blockquote' && attrName === 'expandable') {
          attrs.set('expandable', '');
          continue;
        }
        if (i >= n) fail(`Unclosed start tag at byte offset ${bo(begin)}`);
        fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${bo(begin)}`);
      }
      i++;
      while (i < n && isSpace(at(i))) i++;
      if (i >= n) fail(`Unclosed start tag at byte offset ${bo(begin)}`);
      let value = '';
      const q = at(i);
      if (q !== '"' && q !== "'") {
        const valueStart = i;
        while (i < n && /^[A-Za-z0-9.-]$/.test(at(i) ?? '')) i++;
        value = cps.slice(valueStart, i).join('').toLowerCase();
        if (i < n && !isSpace(at(i)) && at(i) !== '>') fail(`Unexpected end of name token at byte offset ${bo(valueStart)}`);
      } else {
        i++;
        while (i < n && at(i) !== q) {
          if (at(i) === '&') {
            const dec = decodeEntity(cps, i);
            if (dec) {
              value += dec.ch;
              i = dec.next;
              continue;
            }
          }
          value += at(i);
          i++;
        }
        if (i >= n) fail(`Unclosed start tag at byte offset ${bo(begin)}`);
        i++;
      }
      attrs.set(attrName, value);
    }
    if (tag === 'span' && attrs.get('class') !== 'tg-spoiler') {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${bo(begin)}`);
    }
    if (tag === 'tg-emoji' && !/^[0-9]+$/.test(attrs.get('emoji-id') ?? '')) {
      fail(`Custom emoji entity must contain a tg-emoji identifier at byte offset ${bo(begin)}`);
    }
    stack.push({ tag, offset: out.length, attrs });
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed !== undefined) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

function entityFor(open: OpenTag, length: number, inner: string, parent: OpenTag | undefined): MessageEntity | undefined {
  const offset = open.offset;
  switch (open.tag) {
    case 'b':
    case 'strong':
      return { type: 'bold', offset, length };
    case 'i':
    case 'em':
      return { type: 'italic', offset, length };
    case 'u':
    case 'ins':
      return { type: 'underline', offset, length };
    case 's':
    case 'strike':
    case 'del':
      return { type: 'strikethrough', offset, length };
    case 'tg-spoiler':
    case 'span':
      return { type: 'spoiler', offset, length };
    case 'blockquote':
      return { type: open.attrs.has('expandable') ? 'expandable_blockquote' : 'blockquote', offset, length };
    case 'tg-emoji':
      return { type: 'custom_emoji', offset, length, custom_emoji_id: open.attrs.get('emoji-id') ?? '' };
    case 'code': {
      const cls = open.attrs.get('class') ?? '';
      if (parent?.tag === 'pre' && parent.offset === offset && cls.startsWith('language-')) {
        parent.preLanguage = cls.slice('language-'.length);
        return undefined;
      }
      return { type: 'code', offset, length };
    }
    case 'pre':
      return open.preLanguage !== undefined
        ? { type: 'pre', offset, length, language: open.preLanguage }
        : { type: 'pre', offset, length };
    case 'a': {
      const url = open.attrs.get('href') ?? inner;
      if (!/^(https?|tg|ftp|mailto):/i.test(url) && !/^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(url)) return undefined;
      return { type: 'text_link', offset, length, url };
    }
    default:
      return undefined;
  }
}

/**
 * Visible text of Telegram HTML: tags stripped, entities unescaped (not trimmed).
 * Uses the same parser as the validator (lenient about bare `&`); if the HTML is
 * invalid, falls back to a best-effort regex strip so it never throws.
 */
export function htmlToText(html: string): string {
  try {
    return parseTelegramHtml(html, { strictAmpersand: false }).text;
  } catch {
    return html
      .replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&amp;/g, '&');
  }
}

/** Escapes text for parse_mode HTML (&, <, >). Handy in tests. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
