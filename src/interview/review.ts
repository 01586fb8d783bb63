// Turns an assessment into the review a candidate reads: the sheet, each point once, at most three
// pieces of advice that name this answer's real problem, and a 追问 that never claims the
// candidate said something they did not.
import type { Retriever } from '../retrieval/retriever.ts';
import { citationFor, modelAnswerWithSources } from './grounding.ts';
import { canEarn, heardWithin, type AnswerAnalysis } from './answer-analysis.ts';
import { bandOf, clip, CORE_ABILITY, DIMENSIONS, onSituation, round1, SHALLOW_DEPTH, termsOf, totalOf, type Assessment, type MoveResult, type Timing } from './scorer.ts';
import { TYPE_MOVES, type TypeMove } from './question-type.ts';
import { OWN_QUESTION_ID, type DimensionKey, type DimensionScore, type InterviewQuestion, type PointResult, type Review } from './types.ts';

/** How a review lists the points not made: a bank question's are requirements, an own question's are essay practices to borrow. */
export function missesHeading(review: Pick<Review, 'questionId'>): string {
  return review.questionId === OWN_QUESTION_ID ? '文章里可以借用的做法(自拟题的参考要点)' : '没答到的要点';
}

export function dimensionList(question: InterviewQuestion, scores: Record<DimensionKey, number>): DimensionScore[] {
  return DIMENSIONS.map((d) => ({
    key: d.key,
    name: d.key === 'D2' ? CORE_ABILITY[question.type] : d.name,
    score: scores[d.key],
    max: 10 as const,
    weight: d.weight,
  }));
}

export function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function timeRange(limitSeconds: number): string {
  // 180 s → 约 500–650 字: a little under the limit to a little over the speaking rate
  const low = Math.round(((limitSeconds * 0.85) / 60) * 200 / 10) * 10 - 10;
  const high = Math.round(((limitSeconds * 1.1) / 60) * 200 / 10) * 10 - 10;
  return `${limitSeconds / 60} 分钟约 ${low}–${high} 字`;
}

export function timingNotice(timing: Timing): string | undefined {
  if (timing.verdict === 'under') return `只答了约 ${clockText(timing.seconds)}(${timeRange(timing.limitSeconds)}),时间没有用足,扣 ${timing.penalty} 分。`;
  if (timing.verdict === 'over') {
    return `口述约 ${clockText(timing.seconds)},超过规定的 ${clockText(timing.limitSeconds)};考场到时会叫停,之后说的内容不计分,另扣 ${timing.penalty} 分。`;
  }
  return undefined;
}

interface AdviceInputs {
  question: InterviewQuestion;
  assessment: Assessment;
  points: PointResult[];
}

/** Up to three improvements, most important first, each about something in (or missing from) this answer. */
export function adviceFor({ question, assessment, points }: AdviceInputs): string[] {
  const out: string[] = [];
  const { analysis, timing, moves, cap } = assessment;
  if (cap && analysis.structuredShare < 0.5) out.push('用完整的句子说清“为什么、谁来做、怎么做”,不要只罗列名词和口号。');
  const wrong = analysis.sentences.find((s) => s.contradiction);
  if (wrong) out.push(`“${clip(wrong.text, 30)}”是${wrong.contradiction}:面试里要守住原则,先说明不能这样做,再说你会怎么办。`);
  if (question.type === '现场模拟' && analysis.sentences.length > 0 && !SPEAKS_TO.test(analysis.sentences.map((s) => s.text).join(''))) {
    out.push('现场模拟要直接对着题目里的人说:先称呼(“各位居民”“大爷”),再讲道理、作承诺;这份回答是在讲你打算怎么做,没有进入角色。');
  }
  const offTopic = cap !== undefined && /答非所问/.test(cap.notice);
  if (timing.verdict === 'under') out.push(`只答了约 ${clockText(timing.seconds)},${timeRange(timing.limitSeconds)}:把每条对策展开成“谁来做、怎么做、做到什么程度”。`);
  if (timing.verdict === 'over') out.push(`口述约 ${clockText(timing.seconds)},超过 ${clockText(timing.limitSeconds)}:开头和过渡少说,先把对策讲在前面。`);
  const heardEarning = heardWithin(analysis.sentences, timing.heardChars).filter(canEarn);
  const situated = onSituation(question.stem, heardEarning);
  if ((!cap || offTopic) && heardEarning.length >= 6 && situated.length < heardEarning.length * 0.4) {
    // most of what is said is about something else than the question's own people and things
    // the people first, then the longer (more particular) terms
    const named = [...termsOf(question.stem)]
      .sort((a, b) => Number(b.person ?? false) - Number(a.person ?? false) || Math.min(b.term.length, 4) - Math.min(a.term.length, 4))
      .slice(0, 3)
      .map((t) => t.term)
      .join('、');
    out.push(`多数句子没有落到题目里的具体情况(${named}……)上:围绕题目里的人和事来答,别的事少讲。`);
  } else if (offTopic) {
    out.push(`先回到题目问的事:“${clip(question.stem.replace(/\s+/g, ''), 36)}”,围绕它表态、分析、提对策。`);
  } else if (!cap && timing.verdict !== 'under' && assessment.depth < SHALLOW_DEPTH) {
    // the points are named, not carried out: quote the thinnest measure
    const thin = shallowest(heardEarning);
    if (thin) out.push(`“${clip(thin.text, 24)}”只点到了做法:说清谁来做、怎么做、做到什么程度、怎么检查,每条做法展开两三句。`);
  }
  const missed = points.filter((p) => p.status === 'miss').sort((a, b) => b.point.weight - a.point.weight)[0];
  // a question of the candidate's own has points guessed from the essays: a practice to borrow, not a requirement
  if (missed && question.id === OWN_QUESTION_ID) {
    if (missed.point.evidence) out.push(`可以借用文章里的做法来充实回答:“${clip(missed.point.evidence, 40)}”。`);
  } else if (missed) out.push(`没谈到“${missed.point.point}”${missed.point.evidence ? `;文章里的依据:“${clip(missed.point.evidence, 40)}”` : ''}。`);
  if (analysis.cliches.length > 0) {
    out.push(`${analysis.cliches.slice(0, 3).map((c) => `“${c.quote}”`).join('、')}是套话,考官听不出你会怎么做,换成具体做法。`);
  }
  const move = missedMove(moves);
  if (move && out.length < 3) out.push(`${question.type}题还要讲到“${move.move.point}”。`);
  const earning = analysis.sentences.filter((s) => !s.generic && s.structured);
  const ordinals = /(一是|二是|首先|其次|第一|第二|一方面|另一方面|然后|最后)/.test(earning.map((s) => s.text).join(''));
  if (!ordinals && earning.length >= 4 && out.length < 3) out.push('几条做法之间用“一是、二是”或“首先、其次”分开,考官更容易跟上。');
  return [...new Set(out)].slice(0, 3);
}

// words that speak to listeners: a simulated speech or talk has them, a description of one does not
const SPEAKS_TO = /(?:您|你|大家|各位|咱|乡亲|同志们|朋友们|老乡|叔叔|阿姨|大爷|大妈|大娘|大叔|大姐|大哥|师傅|爷爷|奶奶|老师们|同学们)/;

// a sentence that proposes a measure
const MEASURE = /(要|会|将|应该|应当|可以|建议|通过|推动|建立|开展|组织)/;

/** The measure said with the least specific content. */
function shallowest(sentences: AnswerAnalysis['sentences']): AnswerAnalysis['sentences'][number] | undefined {
  return sentences.filter((s) => MEASURE.test(s.text) && s.specifics.length > 0).sort((a, b) => a.specifics.length - b.specifics.length || a.index - b.index)[0];
}

function missedMove(moves: MoveResult[]): MoveResult | undefined {
  return moves.filter((m) => m.depth === 0).sort((a, b) => b.move.weight - a.move.weight)[0];
}

// a bank 追问 that takes something as said ("你提到……") is used only if the answer did say it
const PRESUPPOSES = /^(你提到|你刚才(提到|说)|你说|你讲到|刚才你(提到|说))/;

/** A 追问 from what the answer did not say: a missed high-weight point asked as a question. */
export function followUpFor(question: InterviewQuestion, points: PointResult[], moves: MoveResult[], total: number): string | undefined {
  if (total < 20) return undefined;
  // an examiner follows up on what is missing that matters most; a complete answer is not probed
  // (an own question's points are essay practices to borrow, not steps it asks for: its moves are probed)
  const own = question.id === OWN_QUESTION_ID;
  const missed = own ? undefined : points.filter((p) => p.status === 'miss' && p.point.weight >= 3)[0];
  if (missed) {
    const related = question.followUps.find((f) => !PRESUPPOSES.test(f) && missed.point.keywords.some((k) => f.includes(k)));
    return related ?? `刚才的回答没有谈到“${missed.point.point}”。如果要做到这一点,你具体会怎么做?`;
  }
  // a question of the candidate's own has few essay points: a missing move of its type is probed instead
  const move = own ? missedMove(moves) : undefined;
  if (move && move.move.weight >= 2) return stepProbe(move.move.point);
  return undefined;
}

function stepProbe(step: string): string {
  return `刚才的回答没有讲到“${step}”。如果考官追问这一步,你会怎么补充?`;
}

/** The step of its type a 追问 of `followUpFor` asks about, for a question of the candidate's own. */
export function stepProbedBy(question: InterviewQuestion, followUp: string): TypeMove | undefined {
  return question.id === OWN_QUESTION_ID ? TYPE_MOVES[question.type].find((m) => followUp === stepProbe(m.point)) : undefined;
}

export interface ReviewOptions {
  mode: Review['mode'];
  retriever?: Retriever;
  notices?: string[];
  typeSource?: Review['typeSource'];
  /** replaces the offline advice (the model examiner's, checked by the caller) */
  feedback?: string[];
}

/** The review: capped honestly, the time penalty visible, the sheet adding up to the total shown. */
export function buildReview(question: InterviewQuestion, assessment: Assessment, options: ReviewOptions): Review {
  const { scores, timing, cap, points, clichePenalty } = assessment;
  let finalScores = scores;
  let total = round1(Math.max(0, totalOf(scores) - timing.penalty - clichePenalty));
  const notices = [...(options.notices ?? [])];
  const timeNote = timingNotice(timing);
  if (timeNote) notices.push(timeNote);
  if (clichePenalty > 0) {
    // only the 套话 charged here: stock phrases of the template count through the ceiling
    notices.push(`套话扣 ${clichePenalty} 分:${assessment.analysis.cliches.filter((c) => !c.stock).slice(0, 4).map((c) => `“${c.quote}”`).join('、')}。`);
  }
  if (cap && total > cap.at) {
    // every dimension scaled down so the sheet still adds up to the total shown
    const factor = totalOf(scores) === 0 ? 0 : cap.at / totalOf(scores);
    finalScores = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, round1(v * factor)])) as Record<DimensionKey, number>;
    total = Math.min(cap.at, totalOf(finalScores));
  }
  if (cap) notices.push(cap.notice);
  const { ceiling } = assessment;
  if (!cap && ceiling && total > ceiling.at) {
    const factor = totalOf(finalScores) === 0 ? 0 : ceiling.at / totalOf(finalScores);
    finalScores = Object.fromEntries(Object.entries(finalScores).map(([k, v]) => [k, round1(v * factor)])) as Record<DimensionKey, number>;
    total = Math.min(ceiling.at, totalOf(finalScores));
    notices.push(ceiling.notice);
  }
  const hits = points.filter((p) => p.status !== 'miss' && p.evidence).map((p) => ({ point: p.point.point, evidence: p.evidence ?? '', status: p.status }));
  const misses = points
    .filter((p) => p.status === 'miss')
    .sort((a, b) => b.point.weight - a.point.weight)
    .map((p) => ({ pointId: p.point.id, point: p.point.point, weight: p.point.weight, citation: citationFor(p.point, options.retriever, { excerpt: true }) }));
  const model = modelAnswerWithSources(question, options.retriever);
  return {
    questionId: question.id,
    question: question.stem,
    type: question.type,
    typeSource: options.typeSource ?? (question.id === OWN_QUESTION_ID ? 'detected' : 'bank'),
    total,
    band: bandOf(total),
    dimensions: dimensionList(question, finalScores),
    points,
    hits,
    misses,
    moves: assessment.moves.map((m) => ({ point: m.move.point, made: m.depth > 0 })),
    feedback: options.feedback ?? adviceFor({ question, assessment, points }),
    followUp: followUpFor(question, points, assessment.moves, total),
    mode: options.mode,
    notices,
    cliches: assessment.analysis.cliches.map((c) => c.label),
    timing: { seconds: timing.seconds, limitSeconds: timing.limitSeconds, verdict: timing.verdict, penalty: timing.penalty },
    modelAnswer: question.id === OWN_QUESTION_ID ? '' : model.text,
    modelAnswerSources: model.sources.map((s) => s.citation),
  };
}
