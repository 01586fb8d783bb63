// Which essays a question points at by who wrote them or where they come from ("张青那篇",
// "北京民政局那篇摘要", "广东省委党校那篇"): the user means that essay, so its passages come first.
import type { Essay } from '../knowledge/types.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { words } from './tokenize.ts';

/** How a question may name an essay: its authors, and the telling words of its institution and journal. */
export interface EssaySource {
  id: string;
  authors: string[];
  words: string[];
}

/**
 * Each essay's authors, and the words of its institution or publication that name at most two
 * essays in all their text and metadata (北京, 民政局, 广东省委: yes; 党校, 社会治理: no). Built once
 * per corpus: the questions are not tokenised again for it.
 */
export function essaySources(essays: readonly Essay[], essaysNaming: (word: string) => number): EssaySource[] {
  // (the count covers metadata too: a word in three essays' sources names three essays)
  return essays.map((essay) => ({
    id: essay.id,
    authors: essay.authors.map(normalizeForMatch).filter((author) => Array.from(author).length >= 2),
    words: [...new Set(words([essay.institution, essay.publication].filter(Boolean).join(' ')).map(normalizeForMatch))].filter(
      (word) => Array.from(word).length >= 2 && essaysNaming(word) <= 2,
    ),
  }));
}

/** An author's name anywhere in the question; a telling source word when the question talks about an essay (那篇, 文章, 作者 …). */
export function referencedEssays(question: string, sources: readonly EssaySource[], mentionsEssay: boolean): Set<string> {
  const text = normalizeForMatch(question);
  const out = new Set<string>();
  for (const source of sources) {
    if (source.authors.some((author) => text.includes(author)) || (mentionsEssay && source.words.some((word) => text.includes(word)))) out.add(source.id);
  }
  return out;
}
