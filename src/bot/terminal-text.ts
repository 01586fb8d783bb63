// Telegram HTML as terminal text, for the terminal chat: styles as ANSI codes, quotes with a bar.

const ANSI: Record<string, [string, string]> = {
  b: ['\x1b[1m', '\x1b[22m'],
  strong: ['\x1b[1m', '\x1b[22m'],
  i: ['\x1b[3m', '\x1b[23m'],
  em: ['\x1b[3m', '\x1b[23m'],
  u: ['\x1b[4m', '\x1b[24m'],
  ins: ['\x1b[4m', '\x1b[24m'],
  s: ['\x1b[9m', '\x1b[29m'],
  strike: ['\x1b[9m', '\x1b[29m'],
  del: ['\x1b[9m', '\x1b[29m'],
  code: ['\x1b[36m', '\x1b[39m'],
  pre: ['\x1b[36m', '\x1b[39m'],
  'tg-spoiler': ['\x1b[2m', '\x1b[22m'],
};
const QUOTE_BAR = '│ ';

function decodeEntity(entity: string): string {
  if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
  if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
  return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity] ?? `&${entity};`;
}

/** Telegram HTML as terminal text: styles via ANSI (when color), blockquotes with a bar. */
export function htmlToTerminal(html: string, color: boolean): string {
  let out = '';
  let quote = 0;
  const links: string[] = [];
  const emit = (text: string): void => {
    out += quote > 0 ? text.replace(/\n/g, `\n${QUOTE_BAR}`) : text;
  };
  const pattern = /<(\/?)([a-zA-Z-]+)([^>]*)>|&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);|([^<&]+|[<&])/g;
  for (const m of html.matchAll(pattern)) {
    const [, closing, rawName, attributes, entity, text] = m;
    if (text !== undefined) emit(text);
    else if (entity !== undefined) emit(decodeEntity(entity));
    else if (rawName !== undefined) {
      const name = rawName.toLowerCase();
      if (name === 'blockquote') {
        if (closing) quote = Math.max(0, quote - 1);
        else {
          if (out !== '' && !out.endsWith('\n')) out += '\n';
          quote += 1;
          out += QUOTE_BAR;
        }
      } else if (name === 'a') {
        if (!closing) links.push(/href\s*=\s*"([^"]*)"/.exec(attributes ?? '')?.[1] ?? '');
        else {
          const href = links.pop();
          if (href) emit(` (${href})`);
        }
      } else if (color && ANSI[name]) {
        out += closing ? ANSI[name][1] : ANSI[name][0];
      }
    }
  }
  return out;
}
