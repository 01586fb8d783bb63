// Turns scraped or hand-written essay text into clean paragraphs without changing any word:
// only line breaks, site boilerplate and layout artefacts are touched.

export interface Paragraph {
  text: string;
  /** true for an explicit heading line (`# …` in Markdown, or a short unpunctuated title line) */
  heading: boolean;
  /** Markdown heading depth (1 for `#`), when the heading was marked up explicitly */
  level?: number;
}

// A line ending in one of these closes a paragraph (closing quotes/brackets may follow).
export const PARAGRAPH_END = /[。！？!?；;：:…]["”’」』)）】]*$/;
const ENDS_WITH_PUNCTUATION = /[，,、。！？!?；;：:…—\-]["”’」』)）】]*$/;
const MAX_TITLE_LINE = 40;

const BOILERPLATE_LINE: RegExp[] = [
  /龙源期刊网/,
  /^\s*https?:\/\/\S+\s*$/,
  /^\s*(第\s*)?\d{1,3}\s*(页)?\s*$/, // stray page numbers
  /^\s*[-–—]\s*\d{1,3}\s*[-–—]\s*$/,
];

const BOILERPLATE_INLINE: RegExp[] = [
  /下面是[^。！!\n]{0,40}?整理[^。！!\n]*[。！!]/g, // "下面是小编为大家整理的…，供大家参考。"
  /更多优秀文章尽在[^。！!\n]*[。！!]/g,
  /【(中图分类号|文献标识码|文章编号)】[A-Za-z0-9.\-()（）]*/g,
  /https?:\/\/[\w./?=&%#:-]+/g,
  /<\/?[a-zA-Z][^<>]{0,40}>/g, // stray HTML tags
];
const BROKEN_TAG_AT_LINE_START = /(^|\n)[ \t]*[A-Za-z]{1,3}>[ \t]*/g; // "P> " left over from a broken tag

/** Lines from "栏目最新" on are a site's sidebar, never the essay. */
const TRAILING_SIDEBAR = /^\s*(栏目最新|相关推荐|热门文章|猜你喜欢)\s*[:：]?\s*$/;

export function stripBoilerplate(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n').replace(/\u00a0|\u3000/g, ' ');
  const lines = text.split('\n');
  const sidebarAt = lines.findIndex((line) => TRAILING_SIDEBAR.test(line));
  const kept = (sidebarAt >= 0 ? lines.slice(0, sidebarAt) : lines).filter(
    (line) => !BOILERPLATE_LINE.some((pattern) => pattern.test(line)),
  );
  text = kept.join('\n');
  for (const pattern of BOILERPLATE_INLINE) text = text.replace(pattern, '');
  text = text.replace(BROKEN_TAG_AT_LINE_START, '$1');
  return text;
}

/** A short line with no closing punctuation that stands after a finished paragraph reads as a title. */
function looksLikeTitleLine(line: string, previousClosed: boolean): boolean {
  return (
    previousClosed &&
    line.length <= MAX_TITLE_LINE &&
    !ENDS_WITH_PUNCTUATION.test(line) &&
    !/[。！？!?；;]/.test(line) &&
    (line.replace(/^([一二三四五六七八九十]+|\d+)[、.．]/, '').match(/[，,、]/g) ?? []).length <= 1
  );
}

/**
 * Splits text into paragraphs. Blank lines always separate paragraphs; a line broken in the
 * middle of a sentence (no closing punctuation) is rejoined with the next line, without a space
 * since the text is Chinese.
 */
export function toParagraphs(raw: string): Paragraph[] {
  const lines = stripBoilerplate(raw).split('\n');
  const paragraphs: Paragraph[] = [];
  let open: string | null = null; // a paragraph still waiting for its end
  let previousClosed = true;

  const close = (heading = false): void => {
    if (open !== null && open.trim() !== '') paragraphs.push({ text: open.trim(), heading });
    open = null;
  };

  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (line === '') {
      close();
      previousClosed = true;
      continue;
    }
    const markdownHeading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (markdownHeading) {
      close();
      paragraphs.push({ text: markdownHeading[2].trim(), heading: true, level: markdownHeading[1].length });
      previousClosed = true;
      continue;
    }
    if (open === null && looksLikeTitleLine(line, previousClosed)) {
      paragraphs.push({ text: line, heading: true });
      previousClosed = true;
      continue;
    }
    open = open === null ? line : joinBrokenLine(open, line);
    if (PARAGRAPH_END.test(line)) {
      close();
      previousClosed = true;
    } else {
      previousClosed = false;
    }
  }
  close();
  return paragraphs;
}

// Latin words broken across lines get a space back; Chinese text is joined directly.
export function joinBrokenLine(left: string, right: string): string {
  return /[A-Za-z0-9]$/.test(left) && /^[A-Za-z0-9]/.test(right) ? `${left} ${right}` : left + right;
}

export function cleanText(raw: string): { text: string; paragraphs: Paragraph[] } {
  const paragraphs = toParagraphs(raw);
  return { text: paragraphs.map((p) => p.text).join('\n'), paragraphs };
}

const DROPPED = /[\s\p{P}\p{S}]/u;
// what DROPPED says of each UTF-16 unit, learnt as units are met: 0 not yet asked, 1 kept, 2 dropped
const unitKind = new Uint8Array(0x10000);

function dropsUnit(unit: number): boolean {
  let kind = unitKind[unit];
  if (kind === 0) unitKind[unit] = kind = DROPPED.test(String.fromCharCode(unit)) ? 2 : 1;
  return kind === 2;
}

/**
 * Whitespace- and punctuation-insensitive form used to compare texts (dedupe, evidence checks):
 * text.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase(), computed with the pattern's verdict on each
 * character remembered (twice as fast over a whole corpus). Characters outside the BMP are asked
 * as the pattern reads them, as one code point; a lone surrogate is never dropped.
 */
export function normalizeForMatch(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        if (DROPPED.test(text.slice(i, i + 2))) {
          out += text.slice(from, i);
          from = i + 2;
        }
        i += 1;
      }
      continue;
    }
    if (dropsUnit(unit)) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return (from === 0 ? text : out + text.slice(from)).toLowerCase();
}
