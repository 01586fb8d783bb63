// Which essays a question points at by who wrote them or where they come from ("张青那篇",
// "北京民政局那篇摘要", "广东省委党校那篇"): the user means that essay, so its passages come first.
import type { Essay } from '../knowledge/types.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { words } from './tokenize.ts';

/**
 * An author's name anywhere in the question; a word of an essay's institution or publication
 * when the question talks about an essay (那篇, 文章, 作者 …) and the word names at most two essays
 * in all their text and metadata (北京, 民政局, 广东省委: yes; 党校, 社会治理: no).
 */
export function referencedEssays(
  question: string,
  essays: readonly Essay[],
  mentionsEssay: boolean,
  essaysNaming: (word: string) => number,
): Set<string> {
  const text = normalizeForMatch(question);
  const out = new Set<string>();
  for (const essay of essays) {
    if (essay.authors.some((author) => Array.from(author).length >= 2 && text.includes(normalizeForMatch(author)))) out.add(essay.id);
  }
  if (!mentionsEssay) return out;
  const sources = essays.map((essay) => ({ id: essay.id, source: normalizeForMatch([essay.institution, essay.publication].filter(Boolean).join(' ')) }));
  for (const word of new Set(words(question))) {
    const key = normalizeForMatch(word);
    if (Array.from(key).length < 2) continue;
    const named = sources.filter((s) => s.source.includes(key));
    if (named.length === 0 || named.length > 2 || essaysNaming(key) > 2) continue;
    for (const s of named) out.add(s.id);
  }
  return out;
}
