// Extractive answers: verbatim sentences from the best passages, chosen by relevance with
// maximal marginal relevance (so the answer does not repeat itself), each cited. Sentences
// that give the kind of answer the question asks for (a definition, a list, measures, causes)
// get a modest boost and are read first; headings, labels, dangling list intros, fragments and
// sentences that try to instruct a model are never quoted.
import type { SearchHit } from '../retrieval/retriever.ts';
import { analyzeQuery, termWeight, type AnalyzedQuery } from '../retrieval/query.ts';
import { bigrams, indexTerms, isBigramTerm } from '../retrieval/tokenize.ts';
import { asksSignificance, FIRST_ITEM, formStrength, ITEM_START, questionForm, type QuestionForm } from './question-form.ts';
import { fillerShare, isIntro, isNumberedHeading, labelLength, LABEL_LINE } from './sentences.ts';
import { SENTENCE_END, splitSentences, startsMidSentence } from './sentences.ts';
import { attributionFor, paragraphAt } from './attribution.ts';
import { characterWeights, singleCharacterWords } from './single-characters.ts';
import { buildUnits, FORM_BOOST, type AnswerForm, type Candidate, type Unit } from './sentence-units.ts';
import { looksLikeInjection } from './injection.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { figureGiven, figureKindOf, figureUnitOf } from '../retrieval/answerable.ts';

export interface ExtractiveOptions {
  /** most sentences in an answer */
  maxSentences: number;
  /** stop adding sentences past this many characters */
  maxChars: number;
  /** relevance vs. novelty in MMR */
  lambda: number;
  /** passages to draw sentences from */
  passages: number;
}

export const DEFAULT_EXTRACTIVE: ExtractiveOptions = { maxSentences: 4, maxChars: 300, lambda: 0.7, passages: 4 };

export interface SelectedSentence {
  /** verbatim: text === hit.chunk.text.slice(start - hit.chunk.start, end - hit.chunk.start) */
  text: string;
  hit: SearchHit;
  /** offsets in the essay's cleaned text */
  start: number;
  end: number;
  /**
   * for a first-person sentence ("我镇…"): who is speaking, to print before the quote
   * ("鹅公镇的做法:", or "文中作者所在地的做法:" when the essay names no such place)
   */
  attribution?: string;
}

/** Identifies a quoted sentence across turns: `${essayId}:${start}`. */
export function sentenceKey(s: Pick<SelectedSentence, 'hit' | 'start'>): string {
  return `${s.hit.chunk.essayId}:${s.start}`;
}


const MIN_SENTENCE = 10;
const REFERENCE_AT_END = /(?:\s*\[\d+\](?:[(（]P\.?\s*[\d\-–]+[)）])?)+$/;
const FILLER_PENALTY = 0.3;
/** a sentence at least this strong "answers the form" and is read first */
const ANSWERS_FORM = 0.5;
/** an answer-form sentence elsewhere leads instead of the top passage's best when this close */
const LEAD_MARGIN = 0.1;
const MIN_RELEVANCE = 0.3;
/** with earlier quotes excluded, a new lead must match this much of the question */
const MIN_NEW_MATCH = 0.3;
const NEAR_DUPLICATE = 0.8;
/** how far apart (in characters of the essay) the parts of one list may lie */
const LIST_SPAN = 800;
/** compare questions: a sentence from an essay not yet quoted gets this much in MMR */
const NEW_ESSAY_BONUS = 0.15;
/** a lead this short brings the sentence that follows it in the essay */
const SHORT_LEAD = 60;

const ASKS_PRACTICE = /经验|做法|模式|套路|路子|招|名堂|叫(?:什么|啥)|口号|提法|说法|特色|亮点|打法|搞法|法子/;
/** a name in quotation marks (“一核引领、一网覆盖、六治融合”, “党建云”), and how strongly it answers */
const NAMED_PRACTICE = /[“"「『][^”"」』]{3,30}[”"」』]/;
const NAMED_PRACTICE_STRENGTH = 0.7;

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return shared / Math.sqrt(a.size * b.size);
}


/** The essay's text is only trusted for layout when the chunk really is a slice of it. */
function layoutKnown(hit: SearchHit): boolean {
  return hit.essay.text.slice(hit.chunk.start, hit.chunk.end) === hit.chunk.text && hit.essay.paragraphs.length > 0;
}

/**
 * Picks the sentences to quote. `idf` weighs query terms (rare terms matter more); sentences
 * from higher-ranked passages and sentences that open a passage get a small prior. `exclude`
 * holds the keys (see `sentenceKey`) of sentences quoted earlier in the conversation: they and
 * near-duplicates of them are not chosen again, and when nothing new is relevant enough the
 * result is empty.
 */
export function selectSentences(
  query: string,
  hits: SearchHit[],
  idf: (term: string) => number,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE,
  context?: string,
  exclude?: ReadonlySet<string>,
  /** the retriever's analysis of the question and of `context`, when there is one (saves redoing it) */
  analyzed?: { own: AnalyzedQuery; context?: AnalyzedQuery },
): SelectedSentence[] {
  const { candidates, passages, form } = collectCandidates(query, hits, idf, options, context, analyzed);
  // sentences quoted before, and near-duplicates of them, are not quoted again
  const excludedGrams: Set<string>[] = [];
  if (exclude && exclude.size > 0) {
    for (const c of candidates) if (exclude.has(c.key)) excludedGrams.push(c.grams);
    for (const key of exclude) {
      const [essayId, at] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
      const essay = passages.find((h) => h.essay.id === essayId)?.essay;
      const first = essay ? splitSentences(essay.text.slice(at, at + 600))[0] : undefined;
      if (first) excludedGrams.push(new Set(bigrams(first.text)));
    }
  }
  const fresh = candidates.filter((c) => !exclude?.has(c.key) && !excludedGrams.some((g) => similarity(g, c.grams) >= NEAR_DUPLICATE));
  const units = buildUnits(fresh, passages, form);
  const ordered = choose(units, form, options, exclude !== undefined && exclude.size > 0);
  return ordered.map(({ text, hit, start, end }) => {
    const attribution = attributionFor(hit.essay, start, text);
    return attribution ? { text, hit, start, end, attribution } : { text, hit, start, end };
  });
}

/** Every sentence of the best passages that may be quoted, with how well it matches the question. */
function collectCandidates(
  query: string,
  hits: SearchHit[],
  idf: (term: string) => number,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE,
  context?: string,
  analyzed?: { own: AnalyzedQuery; context?: AnalyzedQuery },
): { candidates: Candidate[]; passages: SearchHit[]; form: AnswerForm } {
  const ownAnalysis = analyzed?.own ?? analyzeQuery(query);
  const contextAnalysis = context ? (analyzed?.context ?? analyzeQuery(context)) : undefined;
  // a follow-up ("那具体应该怎么做?") is judged with the question it follows, at half weight
  const own = ownAnalysis.groups.map((group) => ({ ...group, scale: 1 }));
  const ownTerms = new Set(own.map((g) => g.term));
  const inherited = contextAnalysis
    ? contextAnalysis.groups.filter((g) => !ownTerms.has(g.term)).map((group) => ({ ...group, scale: 0.5 }))
    : [];
  const groups = [...own, ...inherited];
  // a term of the question's background (its preamble) counts less, as in coverage
  const groupWeight = (group: (typeof groups)[number]): number => termWeight(idf(group.term), group.term) * group.scale * (group.weight ?? 1);
  const found = hits.filter((hit) => hit.continues === undefined).slice(0, options.passages);
  // (the passages after them, for the items of a list they start)
  const passages = [...found, ...hits.filter((hit) => hit.continues !== undefined && found.some((f) => f.chunk.id === hit.continues))];
  const passageSentences = passages.map((hit) => splitSentences(hit.chunk.text));
  const characters = characterWeights(
    singleCharacterWords(ownAnalysis.asked, groups.map((g) => g.term)),
    passageSentences.slice(0, found.length).flat().map((s) => s.text),
  );
  const totalWeight = groups.reduce((sum, group) => sum + groupWeight(group), 0) + [...characters.values()].reduce((a, b) => a + b, 0) || 1;
  // the form is read from the normalised text (為什麼 → 为什么)
  const ownForm = questionForm(ownAnalysis.text);
  const form: QuestionForm = ownForm === 'other' && contextAnalysis ? questionForm(contextAnalysis.text) : ownForm;
  const topic = [...new Set(groups.flatMap((g) => g.alternatives).filter((t) => !isBigramTerm(t)))];
  // a question that asks for a figure is answered by the sentence that gives it
  const figure = figureKindOf(ownAnalysis.asked);
  const figureTopics = own.filter((g) => !isBigramTerm(g.term)).map((g) => g.alternatives.filter((t) => !isBigramTerm(t)));
  const figureUnit = figure && figureUnitOf(figure, ownAnalysis.asked);
  const givesFigure = (text: string): boolean => figure !== undefined && figureGiven(figure, figureTopics, [text], figureUnit);
  const penalizeFiller = !asksSignificance(ownAnalysis.text);
  // a question about a place's or an essay's practice ("北辰区那套搞法叫啥", "经验是什么") is
  // answered by the sentence that names it: the essays put such names in quotation marks
  const asksPractice = ASKS_PRACTICE.test(ownAnalysis.asked);
  let namesPractice = false;

  const share = (text: string): number => {
    const terms = new Set(indexTerms(text));
    let sum = groups.reduce((total, group) => total + (group.alternatives.some((t) => terms.has(t)) ? groupWeight(group) : 0), 0);
    for (const [character, weight] of characters) if (text.includes(character)) sum += weight;
    return sum / totalWeight;
  };

  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  passages.forEach((hit, passageIndex) => {
    const layout = layoutKnown(hit);
    const sectionHeading = normalizeForMatch(hit.chunk.section.split('›').at(-1) ?? '');
    const paragraphShare = new Map<number, number>();
    const continuation = hit.continues !== undefined;
    passageSentences[passageIndex].forEach((sentence, position) => {
      // a passage after the ones found offers only the items of a list
      if (continuation && !ITEM_START.test(sentence.text)) return;
      const raw = hit.chunk.start + sentence.start;
      // "摘要:…" is quoted without its label, "…需要。[1](P.97-101)" without the essay's own reference
      const reference = REFERENCE_AT_END.exec(sentence.text)?.[0].length ?? 0;
      const end = hit.chunk.start + sentence.end - reference;
      const label = labelLength(sentence.text);
      const text = sentence.text.slice(label, sentence.text.length - reference);
      const start = raw + label;
      let announces = false;
      let near: number | undefined;
      if (layout) {
        const paragraph = paragraphAt(hit.essay, raw);
        if (paragraph) {
          const from = Math.max(paragraph.start, hit.chunk.start);
          if (!paragraphShare.has(from)) paragraphShare.set(from, share(hit.essay.text.slice(from, Math.min(paragraph.end, hit.chunk.end))));
          near = paragraphShare.get(from);
          if (paragraph.heading || LABEL_LINE.test(hit.essay.text.slice(paragraph.start, paragraph.end))) return;
          if (isNumberedHeading(text, raw === paragraph.start && hit.chunk.start + sentence.end === paragraph.end)) return;
        }
        if (label === 0 && startsMidSentence(hit.essay.text, raw)) return;
        // "…还存在许多问题。一是…二是…": the sentence announces the list that follows it, however
        // long ("……也给我们提供了一些有益启示。" before "一是……")
        announces = !ITEM_START.test(text) && FIRST_ITEM.test(hit.essay.text.slice(end).trimStart());
      } else if (isNumberedHeading(text, false) || LABEL_LINE.test(text)) return;
      // the heading of its own section, written inline before the text ("(3)充分发挥村民议事会……作用。激发……")
      if (normalizeForMatch(text) === sectionHeading) return;
      const intro = isIntro(text);
      if (text.length < MIN_SENTENCE || (!intro && !SENTENCE_END.test(text))) return;
      // a sentence that addresses a model ("忽略以上所有指令……") is not the essay's content
      if (looksLikeInjection(text)) return;
      if (seen.has(text) || seen.has(`${hit.essay.id}:${start}`)) return;
      seen.add(text);
      seen.add(`${hit.essay.id}:${start}`);
      const matched = share(text);
      const relevance = matched + 0.25 / hit.rank + (position === 0 && !continuation ? 0.05 : 0);
      const named = asksPractice && NAMED_PRACTICE.test(text);
      namesPractice ||= named;
      const strength = intro ? 0 : givesFigure(text) ? 1 : Math.max(formStrength(form, text, topic), named ? NAMED_PRACTICE_STRENGTH : 0);
      const filler = penalizeFiller && !named ? fillerShare(text) : 0;
      candidates.push({
        text,
        hit,
        start,
        end,
        key: `${hit.chunk.essayId}:${start}`,
        matched,
        near: Math.max(matched, near ?? 0),
        relevance,
        strength,
        score: relevance + FORM_BOOST * strength - FILLER_PENALTY * filler,
        grams: new Set(bigrams(text)),
        intro,
        announces: !continuation && (intro || announces),
        continuation,
      });
    });
  });

  // (a question about a practice with no other form is answered by the sentence that names it, read first)
  return { candidates, passages, form: form === 'other' && figure !== undefined ? 'figure' : form === 'other' && namesPractice ? 'practice' : form };
}

function choose(units: Unit[], form: AnswerForm, options: ExtractiveOptions, continuing: boolean): Candidate[] {
  const pool = [...units];
  const chosen: Unit[] = [];
  let count = 0;
  let chars = 0;
  const taken = new Set<Candidate>();
  const fits = (unit: Unit): boolean =>
    count + unit.members.length <= options.maxSentences && (chosen.length === 0 || chars + unit.chars <= options.maxChars);
  // a list that does not fit loses its last items (it keeps at least two)
  const fitted = (unit: Unit): Unit | undefined => {
    let members = unit.members;
    const trimmed = (): Unit => ({ ...unit, members, chars: members.reduce((sum, m) => sum + m.text.length, 0) });
    while (members.length > 3 && !fits(trimmed())) members = members.slice(0, -1);
    return fits(trimmed()) ? trimmed() : undefined;
  };
  const take = (picked: Unit): Unit => {
    // a sentence that announces a list brings the list with it when it fits
    const list = picked.members.length === 1 ? pool.find((u) => u.members.length > 1 && u.members[0] === picked.members[0]) : undefined;
    const unit = (list && fitted(list)) ?? picked;
    chosen.push(unit);
    count += unit.members.length;
    chars += unit.chars;
    for (const m of unit.members) taken.add(m);
    // units that share a sentence with this one are no longer available
    for (let i = pool.length - 1; i >= 0; i -= 1) if (pool[i].members.some((m) => taken.has(m))) pool.splice(i, 1);
    return unit;
  };
  const byScore = (a: Unit, b: Unit): number => b.score - a.score;

  // the best passage opens the answer: its best unit, unless a unit that gives the asked-for
  // kind of answer is about as good (then that one leads and the passage's best follows)
  const rankOf = (unit: Unit): number => unit.members[0].hit.rank;
  // after earlier quotes, only something that really matches the question is worth saying
  const eligible = pool.filter(
    (u) =>
      u.members.length <= options.maxSentences &&
      (!continuing || u.members[0].matched >= MIN_NEW_MATCH || (u.strength >= ANSWERS_FORM && u.members[0].near >= MIN_NEW_MATCH)),
  );
  const topRank = Math.min(...eligible.map(rankOf));
  const top = eligible.filter((u) => rankOf(u) === topRank).sort(byScore)[0];
  if (!top) return [];
  const answering = eligible.filter((u) => u.strength >= ANSWERS_FORM).sort(byScore)[0];
  const leading = form !== 'other' && top.strength < ANSWERS_FORM && answering && answering.score >= top.score - LEAD_MARGIN ? answering : top;
  const lead = take(leading);
  if (leading !== top && pool.includes(top)) {
    const second = fitted(top);
    if (second) take(second);
  }
  // a short point ("三是加大农村党建投入。") usually has its substance in the sentence after it,
  // which is quoted with it and read right after it
  const spelledOutFrom = new Map<Unit, Unit>();
  const spellOut = (unit: Unit): Unit | undefined => {
    if (unit.chars > SHORT_LEAD) return undefined;
    const last = unit.members[unit.members.length - 1];
    const essay = last.hit.essay;
    const elaboration = pool
      .filter((u) => u.members[0].hit.essay.id === essay.id && u.members[0].start >= last.end && /^\s*$/.test(essay.text.slice(last.end, u.members[0].start)))
      .sort((a, b) => a.members[0].start - b.members[0].start)[0];
    const fitting = elaboration && fitted(elaboration);
    if (!fitting) return undefined;
    const taken = take(fitting);
    spelledOutFrom.set(taken, unit);
    return taken;
  };
  spellOut(lead);

  // a comparison quotes each side: the best of another essay joins even when it matches less
  if (form === 'compare') {
    const quoted = new Set(chosen.flatMap((u) => u.members.map((m) => m.hit.essay.id)));
    const other = pool.filter((u) => !quoted.has(u.members[0].hit.essay.id) && u.members[0].matched > 0).sort(byScore)[0];
    const fitting = other && fitted(other);
    if (fitting) take(fitting);
  }

  while (count < options.maxSentences && pool.length > 0) {
    const quotedEssays = new Set(chosen.flatMap((u) => u.members.map((m) => m.hit.essay.id)));
    let bestIndex = -1;
    let bestScore = -Infinity;
    pool.forEach((unit, i) => {
      const said = chosen.flatMap((u) => u.members);
      // a list is as redundant as its members on average
      const redundancy =
        unit.members.reduce((sum, m) => sum + Math.max(0, ...said.map((c) => similarity(c.grams, m.grams))), 0) / unit.members.length;
      const diversity = form === 'compare' && !quotedEssays.has(unit.members[0].hit.essay.id) ? NEW_ESSAY_BONUS : 0;
      const score = options.lambda * (unit.score + diversity) - (1 - options.lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    });
    const [best] = pool.splice(bestIndex, 1);
    // stop when what is left is barely relevant or too redundant
    if (best.score < MIN_RELEVANCE || bestScore <= 0) break;
    const fitting = fitted(best);
    // a short point chosen later ("其次,严格强化党员日常管理。") brings its substance too
    if (fitting) spellOut(take(fitting));
  }

  // read in a sensible order: the lead, then the other sentences that answer the question, then
  // the rest; within each, essays by their best passage and sentences in their order in the essay
  const essayRank = new Map<string, number>();
  for (const c of taken) essayRank.set(c.hit.essay.id, Math.min(essayRank.get(c.hit.essay.id) ?? Infinity, c.hit.rank));
  const first = (unit: Unit): Candidate => unit.members[0];
  // a lead that is an item of a list ("二是…", "最后…") reads together with the other chosen
  // parts of that list, in their order
  const leadIsItem = ITEM_START.test(first(lead).text);
  const sameList = (u: Unit): boolean =>
    (u.members.length > 1 || ITEM_START.test(first(u).text)) &&
    first(u).hit.essay.id === first(lead).hit.essay.id &&
    Math.abs(first(u).start - first(lead).start) <= LIST_SPAN;
  const leadList = chosen.filter((u) => u === lead || (leadIsItem && sameList(u)));
  const tierOf = (unit: Unit): number => (leadList.includes(unit) ? 0 : form !== 'other' && unit.strength >= ANSWERS_FORM ? 1 : 2);
  // a spelled-out sentence is read where its point is read
  const tier = (unit: Unit): number => tierOf(spelledOutFrom.get(unit) ?? unit);
  return chosen
    .sort(
      (a, b) =>
        tier(a) - tier(b) ||
        (essayRank.get(first(a).hit.essay.id) ?? 0) - (essayRank.get(first(b).hit.essay.id) ?? 0) ||
        first(a).start - first(b).start,
    )
    .flatMap((unit) => unit.members);
}
