// Web pages: the article's main text (Readability), not the navigation around it.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { domToText } from './html-text.ts';
import { isoDate, usableAuthors, usableTitle, UnusableDocument, type ExtractedDocument } from './types.ts';

const AUTHOR_META = ['author', 'article:author', 'byl', 'dc.creator', 'dc.creator.author'];
const DATE_META = ['article:published_time', 'pubdate', 'publishdate', 'publish_date', 'date', 'dc.date', 'dc.date.issued', 'og:published_time'];
const SITE_META = ['og:site_name', 'application-name', 'sitename'];

/** The page's text: UTF-8 unless a BOM or a <meta charset> says otherwise (GBK is common on Chinese sites). */
export function decodeHtml(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  const head = bytes.subarray(0, 2048).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

interface MetaDocument {
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
}

function metaContent(document: MetaDocument, names: string[]): string | undefined {
  for (const meta of Array.from(document.querySelectorAll('meta'))) {
    const key = (meta.getAttribute('name') ?? meta.getAttribute('property') ?? meta.getAttribute('itemprop') ?? '').toLowerCase();
    const content = meta.getAttribute('content')?.trim();
    if (content && names.includes(key)) return content;
  }
  return undefined;
}

export function extractHtml(bytes: Buffer): ExtractedDocument {
  const html = decodeHtml(bytes);
  if (html.includes('\u0000')) throw new UnusableDocument('不是网页文件（内容是二进制数据）');
  const { document } = parseHTML(html);
  const pageTitle = document.querySelector('title')?.textContent ?? undefined;
  const meta = {
    title: usableTitle(metaContent(document, ['og:title']) ?? pageTitle),
    authors: usableAuthors(metaContent(document, AUTHOR_META)),
    date: isoDate(metaContent(document, DATE_META)),
    publication: metaContent(document, SITE_META),
  };
  // Readability changes the document it reads, so it gets a copy
  const article = new Readability(parseHTML(html).document as unknown as Document, { charThreshold: 100 }).parse();
  let body = '';
  if (article?.content) body = domToText(parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body);
  // a page Readability cannot make sense of still has a body
  if (body.trim() === '' && document.body) body = domToText(document.body);
  if (body.trim() === '') throw new UnusableDocument('没有正文内容');
  return {
    body,
    meta: { ...meta, title: meta.title ?? usableTitle(article?.title), authors: meta.authors ?? usableAuthors(article?.byline), publication: meta.publication ?? article?.siteName ?? undefined },
  };
}
