// What the extractive answer chooses among: each quotable sentence with how well it matches the
// question, and the units built from them (a sentence, or a list intro with the items after it).
import type { SearchHit } from '../retrieval/retriever.ts';
import { ITEM_START, type QuestionForm } from './question-form.ts';
import type { SelectedSentence } from './extractive.ts';

/** boost for a sentence that fully gives the asked-for kind of answer; relevance still dominates */
export const FORM_BOOST = 0.15;
const MAX_ITEMS = 3;

export interface Candidate extends SelectedSentence {
  key: string;
  /** idf-weighted share of the question's terms in the sentence */
  matched: number;
  /** the same for the sentence's paragraph (within the passage) */
  near: number;
  relevance: number;
  /** how well it gives the kind of answer asked for, 0..1 */
  strength: number;
  /** relevance with the form boost and the filler penalty */
  score: number;
  grams: Set<string>;
  /** introduces a list and is never quoted without its items ("…如下:") */
  intro: boolean;
  /** introduces a list that follows (an intro, or a full sentence just before "一是…") */
  announces: boolean;
  /** an item from a passage after the retrieved ones: only quoted in the list it belongs to */
  continuation: boolean;
}

/** What gets chosen: a sentence, or a list intro together with the items that follow it. */
export interface Unit {
  members: Candidate[];
  score: number;
  strength: number;
  chars: number;
}

/** the question's form, or a figure it asks for (多少, 哪一年) when it has no other */
export type AnswerForm = QuestionForm | 'figure' | 'practice';

/** Single sentences, plus each list intro with the items that follow it (an intro alone is never quoted). */
export function buildUnits(candidates: Candidate[], passages: SearchHit[], form: AnswerForm): Unit[] {
  const units: Unit[] = [];
  const sentences = candidates.filter((c) => !c.intro);
  for (const c of sentences) if (!c.continuation) units.push({ members: [c], score: c.score, strength: c.strength, chars: c.text.length });
  for (const intro of candidates.filter((c) => c.announces)) {
    const items = itemsAfter(intro, sentences.filter((c) => c !== intro), passages);
    if (items.length < 2) continue;
    const relevance = Math.max(intro.relevance, items.reduce((sum, item) => sum + item.relevance, 0) / items.length);
    const strength = form === 'list' ? 1 : Math.max(...items.map((item) => item.strength));
    const members = [intro, ...items];
    units.push({ members, score: relevance + FORM_BOOST * strength, strength, chars: members.reduce((sum, m) => sum + m.text.length, 0) });
  }
  return units;
}

/** The enumerated items ("一是…", "首先…") that follow an intro in the retrieved text of its essay. */
function itemsAfter(intro: Candidate, pool: Candidate[], passages: SearchHit[]): Candidate[] {
  const essay = intro.hit.essay;
  // the stretch of essay text covered, without a gap, by the retrieved chunks around the intro
  const spans = passages
    .filter((h) => h.essay.id === essay.id)
    .map((h) => ({ start: h.chunk.start, end: h.chunk.end }))
    .sort((a, b) => a.start - b.start);
  let coveredEnd = intro.end;
  for (const span of spans) if (span.start <= coveredEnd + 1 && span.end > coveredEnd) coveredEnd = span.end;
  const following = pool
    .filter((c) => c.hit.essay.id === essay.id && c.start >= intro.end && c.end <= coveredEnd)
    .sort((a, b) => a.start - b.start);
  const items: Candidate[] = [];
  let from = intro.end;
  for (const c of following) {
    // a heading in between means the list is over (or was a list of headings)
    if (essay.paragraphs.some((p) => p.heading && p.start >= from && p.start < c.start)) break;
    // ("一方面…另一方面…" inside "一是…": an item counted another way belongs to another list)
    if (ITEM_START.test(c.text) && (items.length === 0 || ordinalFamily(c.text) === ordinalFamily(items[0].text))) items.push(c);
    if (items.length >= MAX_ITEMS) break;
    from = c.end;
  }
  return items;
}

const ORDINAL_FAMILIES: Array<[string, RegExp]> = [
  ['是', /[一二三四五六七八九十]是/],
  ['方面', /一方面|另一方面/],
  ['序', /首先|其次|再次|然后|最后/],
  ['第', /第[一二三四五六七八九十]/],
  ['其', /其[一二三四五]/],
  ['括号', /[(（][一二三四五六七八九十\d]{1,2}[)）]/],
];

/** How an item is counted: 一是/二是, 一方面/另一方面, 首先/其次, 第一/第二 … */
function ordinalFamily(text: string): string | undefined {
  const head = text.slice(0, 16);
  let best: { name: string; at: number } | undefined;
  for (const [name, pattern] of ORDINAL_FAMILIES) {
    const at = head.search(pattern);
    if (at >= 0 && (best === undefined || at < best.at)) best = { name, at };
  }
  return best?.name;
}
