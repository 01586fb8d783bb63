import type { Chunk, Essay } from '../knowledge/types.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import { Bm25Index, DEFAULT_BM25, type Bm25Options } from './bm25.ts';
import { analyzeQuery, CONGRESS, type AnalyzedQuery, type QueryLexicon } from './query.ts';
import type { Embedder } from './embedder.ts';
import type { VectorIndex } from './vector-index.ts';
import { SoundIndex, type CharReadings } from './sound.ts';
import { PassageGrams } from './passage-grams.ts';
import { CorpusText } from './corpus-text.ts';
import { questionForm } from './question-form.ts';
import { abbreviationListed, askingPart, figureGiven, figureKindOf, figureSubjectOf, figureUnitOf, namedListGiven, pointsAtPlace, quotedNames, setListed, setQuestionOf, type SetQuestion } from './answerable.ts';
import { characterPairs, indexTerms, isBigramTerm } from './tokenize.ts';
import { CoverageJudge, indexedText } from './coverage.ts';
import { essaySources, referencedEssays, type EssaySource } from './essay-reference.ts';
import { reverseDictionary, type ReverseDictionary } from './english-dictionary.ts';
import type { CoverageDecision, SearchHit, SearchOptions, SearchResult } from './search-types.ts';

export { indexedText } from './coverage.ts';


export interface RetrievalSettings {
  /** weights of the two rankings in reciprocal rank fusion */
  bm25Weight: number;
  denseWeight: number;
  rrfK: number;
  /** the best passages hold at least this share of the question's (idf-weighted) terms: covered */
  coveredFloor: number;
  /** at least this share: partly covered (answered, saying what the essays do not say) */
  partialFloor: number;
  /** below the covered floor, the essays must know at least this share of what it is about (see familiarity) */
  partialFamiliarity: number;
  /** a passage this similar (bigram containment) to a higher-ranked one is not returned again */
  duplicateThreshold: number;
  bm25: Bm25Options;
  /** query-side weight of character bigrams relative to whole words */
  bigramWeight: number;
}

// Calibrated on eval/questions.jsonl (see `npm run eval`).
export const DEFAULT_RETRIEVAL: RetrievalSettings = {
  bm25Weight: 1,
  denseWeight: 0.3,
  rrfK: 5,
  coveredFloor: 0.5,
  partialFloor: 0.3,
  partialFamiliarity: 0.5,
  duplicateThreshold: 0.8,
  bm25: DEFAULT_BM25,
  bigramWeight: 1,
};

/** the words a count of people is said in, any of which the essays may use (33个成员, 33位成员) */
const PERSON_COUNTERS = '个名位人';
const PERSON_COUNT = new RegExp(`^(\\d+)[${PERSON_COUNTERS}]$`);

/** a comparison's first passages: the best of up to this many essays, from among the first so many passages */
const ROUND_ROBIN_ESSAYS = 2;
const ROUND_ROBIN_POOL = 10;

/** how far down the ranking a passage that lists a set's members is brought forward from */
const LIST_FIRST_POOL = 5;

export type { CoverageDecision, SearchHit, SearchOptions, SearchResult } from './search-types.ts';

export class Retriever {
  private readonly bm25: Bm25Index;
  private readonly grams: PassageGrams;
  private readonly essaysById: Map<string, Essay>;
  private readonly coverageJudge: CoverageJudge;
  private readonly chunksById: Map<string, Chunk>;
  private sounds?: SoundIndex;
  /** the essays' text and metadata normalised for matching, with a character-pair index: every "does an essay say X" check */
  private corpusText?: CorpusText;
  /** how questions may name each essay (its authors, institution and journal), built on first use */
  private sources?: EssaySource[];
  /** the characters' readings the sound-alike table starts from (kept in the cache) */
  private readonly readings?: CharReadings;

  constructor(
    readonly essays: Essay[],
    readonly chunks: Chunk[],
    readonly embedder: Embedder,
    private readonly vectors: VectorIndex,
    readonly settings: RetrievalSettings = DEFAULT_RETRIEVAL,
    private readonly onDenseFailure: (error: unknown) => void = () => {},
    /** parts already built (read from the cache): nothing is tokenised again */
    prebuilt: { lexical?: Bm25Index; grams?: PassageGrams; corpus?: CorpusText; readings?: CharReadings } = {},
  ) {
    // the section heading is indexed with its passage: "具体表现" questions name the heading's topic
    this.bm25 = prebuilt.lexical ?? Bm25Index.fromDocuments(chunks.map((chunk) => indexTerms(indexedText(chunk))), settings.bm25);
    this.grams = prebuilt.grams ?? new PassageGrams(chunks.map((chunk) => chunk.text));
    this.corpusText = prebuilt.corpus;
    this.readings = prebuilt.readings;
    this.essaysById = new Map(essays.map((essay) => [essay.id, essay]));
    this.chunksById = new Map(chunks.map((chunk) => [chunk.id, chunk]));
    this.coverageJudge = new CoverageJudge(this.bm25, chunks, this.essaysById, () => this.corpus(), () => this.soundIndex());
  }

  essay(id: string): Essay | undefined {
    return this.essaysById.get(id);
  }

  chunk(id: string): Chunk | undefined {
    return this.chunksById.get(id);
  }

  private chunksByEssay: Map<string, Chunk[]> | undefined;

  /** An essay's passages in order (answers read the ones after a passage found: kept, not filtered each time). */
  chunksOf(essayId: string): readonly Chunk[] {
    if (!this.chunksByEssay) {
      this.chunksByEssay = new Map();
      for (const chunk of this.chunks) this.chunksByEssay.set(chunk.essayId, [...(this.chunksByEssay.get(chunk.essayId) ?? []), chunk]);
    }
    return this.chunksByEssay.get(essayId) ?? [];
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  /** A word in at most a fifth of the passages: 村里 or 社区 is in half of them and tells no topic. */
  isDistinctive(word: string): boolean {
    return this.bm25.documentFrequency(word) <= this.chunks.length * 0.2;
  }

  /** Length of the passages' vectors. */
  dimensions(): number {
    return this.vectors.getNumDimensions();
  }

  /** The lexical index, the passages' bigrams and the normalised corpus: what an index with documents added is made from. */
  parts(): { lexical: Bm25Index; grams: PassageGrams; corpus: CorpusText; readings?: CharReadings } {
    return { lexical: this.bm25, grams: this.grams, corpus: this.corpus(), readings: this.readings };
  }

  /** What the query analysis needs of the corpus; the sound-alike table is built on first use. */
  private readonly lexicon: QueryLexicon = {
    known: (term) => this.bm25.documentFrequency(term) > 0,
    sounds: () => this.soundIndex(),
    english: () => (this.englishDictionary ??= { lookUp: reverseDictionary((word) => this.lexicon.known(word)) }).lookUp,
  };
  private englishDictionary?: { lookUp: ReverseDictionary | undefined };

  private soundIndex(): SoundIndex {
    return (this.sounds ??= new SoundIndex(this.bm25.terms(), (term) => this.bm25.documentFrequency(term), this.readings));
  }

  analyze(query: string): AnalyzedQuery {
    return analyzeQuery(query, this.lexicon);
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const k = options.k ?? 5;
    const analyzed = this.analyze(query);
    const queryTerms = analyzed.terms;
    const weights = new Map(
      [...analyzed.weights].map(([term, weight]) => [term, isBigramTerm(term) ? weight * this.settings.bigramWeight : weight]),
    );
    const context = options.context ? this.analyze(options.context) : undefined;
    if (context) {
      for (const [term, weight] of context.weights) weights.set(term, (weights.get(term) ?? 0) + weight * 0.5);
    }
    const pool = Math.max(k * 4, 20);
    const lexical = this.bm25.search(weights, pool);
    const denseText = context ? `${context.text}\n${analyzed.text}` : analyzed.text;
    const { docs: dense, similarity } =
      options.lexicalOnly || (queryTerms.length === 0 && !context) ? { docs: [], similarity: 0 } : await this.denseSearch(denseText, pool);

    const fused = new Map<number, { score: number; bm25Rank?: number; denseRank?: number }>();
    const { bm25Weight, denseWeight, rrfK } = this.settings;
    lexical.forEach(({ doc }, i) => {
      const entry = fused.get(doc) ?? { score: 0 };
      entry.score += bm25Weight / (rrfK + i + 1);
      entry.bm25Rank = i + 1;
      fused.set(doc, entry);
    });
    dense.forEach((doc, i) => {
      const entry = fused.get(doc) ?? { score: 0 };
      entry.score += denseWeight / (rrfK + i + 1);
      entry.denseRank = i + 1;
      fused.set(doc, entry);
    });
    // an essay the question names by its author or source ("张青那篇") is where the answer is
    // looked for: its passages come first, in their own order, even those neither ranking found
    const referenced = referencedEssays(analyzed.text, (this.sources ??= essaySources(this.essays, (word) => this.corpus().essaysWith(word, 'any', 3).length)), analyzed.mentionsEssay);
    // (naming every essay singles none out)
    const first = referenced.size < this.essays.length ? referenced : new Set<string>();
    const named = (doc: number): number => (first.has(this.chunks[doc].essayId) ? 1 : 0);
    if (first.size > 0) {
      this.chunks.forEach((chunk, doc) => {
        if (first.has(chunk.essayId) && !fused.has(doc)) fused.set(doc, { score: 0 });
      });
    }
    const fusedOrder = [...fused.entries()].sort((a, b) => named(b[0]) - named(a[0]) || b[1].score - a[1].score || a[0] - b[0]);
    // a comparison is answered by several essays: each one's best passage comes before a second of any
    const comparison = isComparison(analyzed.asked);
    const set = setQuestionOf(analyzed.asked);
    const ranked = comparison ? this.essayRoundRobin(fusedOrder) : this.listsFirst(set, fusedOrder, named);

    const hits: SearchHit[] = [];
    const kept: number[] = [];
    for (const [doc, entry] of ranked) {
      if (hits.length >= k) break;
      if (kept.some((other) => this.grams.nearDuplicate(doc, other, this.settings.duplicateThreshold))) continue;
      kept.push(doc);
      const chunk = this.chunks[doc];
      const essay = this.essaysById.get(chunk.essayId);
      if (!essay) continue;
      hits.push({ rank: hits.length + 1, chunk, essay, score: entry.score, bm25Rank: entry.bm25Rank, denseRank: entry.denseRank });
    }
    // a follow-up ("那具体应该怎么做?") is judged together with the question it follows
    // (words that only help find passages, as the general dictionary's for English, do not judge coverage)
    const groups = (context ? [...analyzed.groups, ...context.groups.filter((g) => !analyzed.groups.some((o) => o.term === g.term))] : analyzed.groups).filter((g) => !g.findingOnly);
    // (a comparison is covered by two essays together, each saying its part)
    const judged = this.coverageJudge.judge(groups, kept.slice(0, comparison ? 5 : 3), analyzed.mentionsEssay, comparison);
    // a figure or a counted list the best passages do not give is not answered with background
    const best = kept.slice(0, 3).map((doc) => this.chunks[doc].text);
    // an abbreviation the essays never write ("四化") is known where the best passages list its items
    const unknownSpecifics = analyzed.specifics.filter(
      (specific) =>
        !this.corpusHas(specific) && (CONGRESS.test(specific) || (!this.coverageJudge.soundsKnown(specific) && !this.coverageJudge.mistyped(specific))) && !best.some((text) => abbreviationListed(specific, text)),
    );
    const figure = figureKindOf(analyzed.asked);
    // (a figure sentence must also name the question's topic)
    // the topic is what the question's rarer words name: 村里 or 社区 is in half the passages
    const distinctive = judged.found.filter((word) => this.isDistinctive(word) && !pointsAtPlace(word));
    const alternativesOf = (word: string): string[] => groups.find((g) => g.term === word)?.alternatives.filter((t) => !isBigramTerm(t)) ?? [word];
    const subjectWord = figure === 'count' || figure === 'money' ? figureSubjectOf(analyzed.asked) : undefined;
    // (a mistyped word by its sound-alikes too, and a longer one by a pair of its characters: 自愿者, 志愿者)
    const subject = subjectWord ? [...alternativesOf(subjectWord), ...(groups.find((g) => g.term === subjectWord)?.alikes ?? []), ...(Array.from(subjectWord).length >= 3 ? characterPairs(subjectWord) : [])] : [];
    const givesFigure = (texts: string[]): boolean =>
      figure !== undefined &&
      figureGiven(figure, (distinctive.length > 0 ? distinctive : judged.found).map(alternativesOf), texts, figureUnitOf(figure, analyzed.asked), quotedNames(askingPart(analyzed.asked)).filter((name) => this.corpusHas(name)), subject);
    // the figure may be in any retrieved passage, not only the best three
    const retrieved = hits.map((hit) => hit.chunk.text);
    const figureMissing = figure !== undefined && !givesFigure(retrieved);
    // the members of a named thing ("“小微权力清单”包括哪些事项"): a passage that only mentions the name does not list them
    const listedNames = set === undefined && asksMembers(analyzed.asked) ? quotedNames(analyzed.asked).filter((name) => this.corpusHas(name)) : [];
    const namedListMissing = listedNames.length > 0 && !namedListGiven(listedNames, retrieved);
    const setMissing = (set !== undefined && !setListed(set, best)) || namedListMissing;
    const unlistedSet = set && setMissing ? { size: set.size, named: set.anchors.filter((a) => this.corpusHas(a)) } : namedListMissing ? { size: 0, named: listedNames } : undefined;
    const familiarity = this.coverageJudge.familiarity(groups);
    // refused on evidence that the essays are about something else: next to nothing of the
    // question in the best passages, a name or figure they never give, or a topic they never name
    // (or none of its words in the best passage and no more than half of them known anywhere:
    // "苹果手机那个长截屏到底是啥" knows 手机 and finds only character pairs; or none of the
    // things it names known anywhere: "推荐几部好看的电视剧" finds 推荐, and nothing it is about)
    const unfamiliar =
      familiarity === 0 ||
      (familiarity < this.settings.partialFamiliarity && judged.relevance < this.settings.coveredFloor * 0.8) ||
      (judged.found.length === 0 && familiarity <= this.settings.partialFamiliarity);
    const coverage: CoverageDecision =
      hits.length === 0 || unknownSpecifics.length > 0 || figureMissing || setMissing || judged.relevance < this.settings.partialFloor || unfamiliar
        ? 'none'
        : judged.relevance >= this.settings.coveredFloor
          ? 'covered'
          : 'partial';
    const covered = coverage !== 'none';
    return {
      query,
      hits: covered || options.ignoreFloor ? hits : [],
      relevance: judged.relevance,
      covered,
      coverage,
      found: judged.found,
      missing: judged.missing,
      unknownSpecifics,
      figureMissing,
      figureKind: figure,
      unlistedSet,
      analyzed,
      contextAnalyzed: context,
      language: analyzed.language,
      similarity,
      familiarity,
    };
  }

  /**
   * For a question asking for the members of a set ("这六项能力具体是哪六项?"), the passages among
   * the first few that list them come before those that only name the set (an essay the question
   * names still comes first: `named`).
   */
  private listsFirst<T>(set: SetQuestion | undefined, ranked: Array<[number, T]>, named: (doc: number) => number): Array<[number, T]> {
    if (!set || ranked.length === 0) return ranked;
    const lead = named(ranked[0][0]);
    // (a prefix of the ranking: a named essay's passages all come before the others)
    const head = ranked.slice(0, LIST_FIRST_POOL).filter(([doc]) => named(doc) === lead);
    const listing = head.filter(([doc]) => setListed(set, [this.chunks[doc].text]));
    if (listing.length === 0 || listing.length === head.length) return ranked;
    return [...listing, ...head.filter((entry) => !listing.includes(entry)), ...ranked.slice(head.length)];
  }

  /** The best passage of each essay in the order they come, then the rest, among the first few. */
  private essayRoundRobin<T>(ranked: Array<[number, T]>): Array<[number, T]> {
    const head = ranked.slice(0, ROUND_ROBIN_POOL);
    const seen = new Set<string>();
    const firsts: Array<[number, T]> = [];
    for (const entry of head) {
      const essay = this.chunks[entry[0]].essayId;
      if (seen.has(essay)) continue;
      seen.add(essay);
      firsts.push(entry);
    }
    const lead = firsts.slice(0, ROUND_ROBIN_ESSAYS);
    return [...lead, ...head.filter((entry) => !lead.includes(entry)), ...ranked.slice(ROUND_ROBIN_POOL)];
  }

  /** The normalised corpus and its index (built here when the index did not come with one). */
  corpus(): CorpusText {
    this.corpusText ??= CorpusText.build(this.essays);
    return this.corpusText;
  }

  /** True when some essay contains the text (ignoring punctuation and spacing). */
  corpusHas(text: string): boolean {
    const needle = normalizeForMatch(text);
    if (needle === '') return false;
    // a count is the same whatever it is counted in: "33个成员" is the essays' "33位成员"
    const count = PERSON_COUNT.exec(needle);
    if (count) return Array.from(PERSON_COUNTERS).some((unit) => this.corpus().has(count[1] + unit, 'any'));
    return this.corpus().has(needle, 'any');
  }

  /** Nearest passages by meaning, with the best cosine similarity (0 when none). */
  private async denseSearch(query: string, limit: number): Promise<{ docs: number[]; similarity: number }> {
    const none = { docs: [], similarity: 0 };
    try {
      const vector = await this.embedder.embedQuery(query);
      if (!vector.some((x) => x !== 0)) return none;
      const count = Math.min(limit, this.vectors.getCurrentCount());
      if (count === 0) return none;
      const { neighbors, distances } = this.vectors.searchKnn(vector, count);
      return { docs: neighbors, similarity: distances.length > 0 ? 1 - Math.min(...distances) : 0 };
    } catch (error) {
      // a dense failure (e.g. the embeddings endpoint is down) degrades to lexical search
      this.onDenseFailure(error);
      return none;
    }
  }
}

// asks what a thing consists of ("包括哪些事项", "具体是哪几项"), not what it did or what is said of it
const MEMBERS = /(?:包括|包含|列了|列出|列有|分为|分成|都有)(?:了)?(?:哪些|哪几|什么|啥)|具体是[哪那](?:些|几)|(?:哪些|哪几[个项条类种步]?)(?:具体)?(?:事项|内容|条款|项目|权力|环节|步骤|科目)/;

function asksMembers(question: string): boolean {
  return MEMBERS.test(question.replace(/\s+/g, ''));
}

const BOTH = /(和|与|跟|同).{1,24}(都|分别|各自)/;

function isComparison(question: string): boolean {
  return questionForm(question) === 'compare' || BOTH.test(question);
}
