// A DOM subtree as plain lines: one paragraph per block, headings as Markdown, scripts and
// styles left out. Used for web pages (after Readability) and for Word files (mammoth's HTML).

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'button', 'select', 'textarea', 'form']);
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'figure', 'figcaption', 'address', 'hr', 'caption', 'center',
]);
const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';
// a line break between two Chinese characters in the HTML source is not a space on screen
const CJK_SOURCE_BREAK = new RegExp(`([${CJK}])\\s*\\n\\s*(?=[${CJK}])`, 'g');

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

export function domToText(root: DomNode): string {
  const out: string[] = [];
  let line = '';
  const flush = (): void => {
    const text = line.replace(/[ \t]+/g, ' ').trim();
    if (text !== '') out.push(text);
    line = '';
  };
  const paragraphBreak = (): void => {
    flush();
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  const walk = (node: DomNode): void => {
    if (node.nodeType === TEXT_NODE) {
      line += (node.textContent ?? '').replace(CJK_SOURCE_BREAK, '$1').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIPPED.has(tag)) return;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      paragraphBreak();
      const text = (node.textContent ?? '').replace(CJK_SOURCE_BREAK, '$1').replace(/\s+/g, ' ').trim();
      if (text !== '') out.push(`${'#'.repeat(Number(heading[1]))} ${text}`, '');
      return;
    }
    if (tag === 'br') {
      flush();
      return;
    }
    const block = BLOCKS.has(tag);
    if (block) paragraphBreak();
    if (tag === 'td' || tag === 'th') line += ' ';
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) paragraphBreak();
  };
  walk(root);
  flush();
  return out.join('\n').trim();
}
