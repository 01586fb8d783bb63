// What a query goes through before analysis: traditional → simplified characters (opencc-js,
// OpenCC's phrase tables) and full-width → half-width forms. Excerpts shown stay verbatim: only
// the query is converted, and the essays are already simplified.
import { Converter } from 'opencc-js/t2cn';

let converter: ((text: string) => string) | undefined;

export function toSimplified(text: string): string {
  const convert = (converter ??= Converter({ from: 't', to: 'cn' }));
  return convert(text);
}

export function normalizeQuery(text: string): string {
  return toSimplified(text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

const LATIN_LETTER = /[a-z]/gi;
const CJK_CHAR = /[\u3400-\u9fff\uf900-\ufaff]/g;

/** True for a question written mainly in a Latin-script language (English, pinyin). */
export function isMostlyLatin(text: string): boolean {
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  const cjk = text.match(CJK_CHAR)?.length ?? 0;
  return latin >= 6 && latin > cjk * 3;
}
