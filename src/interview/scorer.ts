// The offline examiner: deterministic, explainable, and strict on empty, off-topic and
// copied answers. Every number it produces can be traced to a rule below.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { splitSentences } from '../answer/sentences.ts';
import { stripInjections } from '../answer/injection.ts';
export { stripInjections } from '../answer/injection.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { bigrams, words } from '../retrieval/tokenize.ts';
import { modelAnswerText } from './bank.ts';
import type {
  Band,
  DimensionKey,
  DimensionScore,
  InterviewQuestion,
  KeyPoint,
  PointCitation,
  PointResult,
  QuestionType,
  Review,
} from './types.ts';

export const DIMENSIONS: Array<{ key: DimensionKey; name: string; weight: number }> = [
  { key: 'D1', name: '审题立意', weight: 1.5 },
  { key: 'D2', name: '核心能力', weight: 3.0 },
  { key: 'D3', name: '要点覆盖与联系实际', weight: 2.5 },
  { key: 'D4', name: '逻辑结构', weight: 1.5 },
  { key: 'D5', name: '言语表达', weight: 1.5 },
];

export const CORE_ABILITY: Record<QuestionType, string> = {
  综合分析: '综合分析能力',
  组织管理: '计划组织协调能力',
  应急应变: '应变能力',
  人际沟通: '人际交往意识与技巧',
  现场模拟: '情境表达与沟通',
};

export const MIN_ANSWER_CHARS = 60;
const BAND_CAP_POOR = 40;

export function bandOf(total: number): Band {
  if (total >= 75) return '好';
  if (total >= 45) return '中';
  return '差';
}

/** Characters that count as content: CJK, letters and digits. */
export function contentLength(text: string): number {
  return (text.match(/[\u3400-\u9fff\p{L}\p{N}]/gu) ?? []).length;
}

// ---- 套话 (template clichés examiners mark down) -------------------------------------------
const CLICHES: Array<[RegExp, string]> = [
  [/信任我|锻炼我|考验我/, '“领导信任我、锻炼我”'],
  [/权为民所用.{0,4}情为民所系/, '“权为民所用,情为民所系”'],
  [/沉着冷静.{0,4}积极面对|保持冷静.{0,2}积极应对/, '“沉着冷静,积极面对”'],
  [/总结报告.{0,6}(领导|上级)|形成.{0,4}报告.{0,4}领导/, '“形成总结报告交给领导”'],
  [/一根筷子/, '“一根筷子易折断”'],
  [/想群众之所想.{0,4}急群众之所急/, '“想群众之所想,急群众之所急”'],
  [/高度重视/, '“高度重视”'],
  [/形成(工作)?合力/, '“形成合力”'],
  [/新成效|新局面|新篇章|新贡献/, '“取得新成效/开创新局面”'],
  [/提高思想认识|提高认识/, '“提高思想认识”'],
  [/加强组织领导/, '“加强组织领导”'],
  [/坚强的?(组织)?保障/, '“提供坚强保障”'],
  [/辩证(地)?看待/, '“辩证看待”(没有展开)'],
  [/不忘初心|牢记使命/, '“不忘初心、牢记使命”'],
  [/撸起袖子/, '“撸起袖子加油干”'],
];

// ---- structure markers ------------------------------------------------------------------------
const STANCE = /^(我认为|我觉得|对此|对于|在我看来|我(的)?(观点|看法)|首先.{0,6}(肯定|支持|赞同)|这(是|种|一)|作为|面对|如果我是|我会|我将|当前|近年来|各位|大家好)/;
const ORDINALS = /(一是|二是|三是|四是|五是|首先|先是|其次|再次|然后|接着|随后|最后|第一|第二|第三|第四|一方面|另一方面|其一|其二|同时)/g;
const SUMMARY = /(总之|总而言之|综上|总的来说|归根结底|这样(才能|就能|一来)|只有.{1,20}才能|只要.{1,30}(就|才)|最后.{0,10}(总结|复盘|建立.{0,6}机制)|长效机制)/;
const ACTORS = /(社区|街道|村委|村两委|两委|党组织|党支部|党委|政府|部门|网格员|志愿者|居民|村民|群众|调解员|干部|民警|派出所|镇里|乡镇|议事会|社工|物业|我会|我将|我们)/g;
const STEPS = /(首先|其次|然后|接着|最后|第一步|第二步|第三步|同时|此外|一是|二是|三是|事前|事中|事后)/g;
const CONCRETE = /(\d+|例如|比如|以.{1,12}为例|像.{1,12}那样|某(村|社区|街道|镇|地)|[\u4e00-\u9fa5]{1,6}(村|社区|区|镇|市)的(做法|经验)|网格|议事会|信息公开|公示|清单|台账|积分|代表|调解|上门|入户|走访|座谈|问卷)/g;
const FILLERS = /(嗯+|呃+|那个那个|然后然后|就是说就是说)/g;

// Type-specific markers of the core ability; each family found counts once.
const CORE_FAMILIES: Record<QuestionType, RegExp[]> = {
  综合分析: [
    /(意义|作用|价值|好处|必要|初衷|积极)/,
    /(原因|根源|之所以|在于|症结|导致|造成)/,
    /(但是|但|然而|同时也|也要看到|另一方面|不能只|不足|问题在于|风险)/,
    /(政府|党组织|部门|群众|社会组织|企业|干部|居民|村民).{0,20}(政府|党组织|部门|群众|社会组织|企业|干部|居民|村民)/,
    /(对策|措施|建议|要|应当|应该|需要|必须).{0,10}(建立|完善|加强|推进|落实|健全|引导|培育)/,
    /(总之|归根结底|本质|根本|长远|升华|最终)/,
  ],
  组织管理: [
    /(目的|目标|意义|为了)/,
    /(调研|摸底|了解|方案|计划|预案)/,
    /(人员|分工|经费|物资|场地|资金|小组|专人)/,
    /(首先|第一步|前期|准备|其次|然后|实施|开展|组织)/,
    /(重点|关键|细节|特别|尤其)/,
    /(突发|意外|预案|应急|备用)/,
    /(总结|反馈|评估|复盘|长效|机制|回访|满意度)/,
  ],
  应急应变: [
    /(安全|受伤|送医|隔开|控制(现场|局面)|稳定|安抚|冷静|疏导|劝离|停工|暂停)/,
    /(核实|了解情况|调查|查明|问清|查看|调取)/,
    /(代表|诉求|倾听|登记|解释|说明|答复)/,
    /(汇报|请示|上报|报告|联系.{0,6}(派出所|民警|领导|部门))/,
    /(舆情|视频|网上|媒体|回应|发布|澄清|公开)/,
    /(长效|预防|机制|复盘|排查|整改|杜绝|再次发生)/,
  ],
  人际沟通: [
    /(反思|自身|我自己|是不是我|检查自己|先从自己|承认|没做好|不到位|我们的问题|我的问题)/,
    /(理解|尊重|换位思考|耐心|体谅|感谢)/,
    /(私下|当面|单独|请教|倾听|主动|上门|谈心|交流|沟通方式)/,
    /(原则|规定|政策|制度|纪律|底线)/,
    /(完成|推进|落实|工作任务|把工作)/,
    /(关系|信任|团结|今后|以后|长期)/,
  ],
  现场模拟: [
    /(大家好|各位|您好|您|咱们|乡亲们|居民朋友)/,
    /(理解|明白|体谅|辛苦|感谢|抱歉|着急)/,
    /(我们会|我会|保证|承诺|马上|今天|三天|一周|限期)/,
    /(政策|规定|依据|标准)/,
    /(意见|建议|欢迎|随时|电话|联系)/,
  ],
};

function countMatches(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).length;
}

function clamp(value: number, min = 0, max = 10): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Share of `a`'s bigrams that also occur in `b`. */
function containment(a: string, b: string): number {
  const grams = new Set(bigrams(a));
  if (grams.size === 0) return 0;
  const other = new Set(bigrams(b));
  let shared = 0;
  for (const gram of grams) if (other.has(gram)) shared += 1;
  return shared / grams.size;
}

export interface ScoringContext {
  retriever?: Retriever;
}

/** Decides for each key point whether the answer makes it, and with which sentence. */
export async function matchKeyPoints(
  question: InterviewQuestion,
  sentences: string[],
  context: ScoringContext,
): Promise<PointResult[]> {
  const stem = normalizeForMatch(question.stem);
  const normalizedSentences = sentences.map(normalizeForMatch);
  const sentenceVectors = context.retriever
    ? await Promise.all(sentences.map((s) => context.retriever!.embedder.embedQuery(s).catch(() => [] as number[])))
    : [];
  const results: PointResult[] = [];
  for (const point of question.keyPoints) {
    // words the question itself uses prove nothing when they come back in the answer
    const keywords = point.keywords.map(normalizeForMatch).filter((k) => k.length > 0 && !stem.includes(k));
    let bestSentence = -1;
    let bestScore = 0;
    const pointText = `${point.point} ${point.keywords.join(' ')}`;
    const pointVector = context.retriever ? await context.retriever.embedder.embedQuery(pointText).catch(() => [] as number[]) : [];
    sentences.forEach((sentence, i) => {
      const keywordHits = keywords.filter((k) => normalizedSentences[i].includes(k)).length;
      const lexical = containment(point.point, sentence);
      const semantic = cosine(sentenceVectors[i] ?? [], pointVector);
      const score = keywordHits * 1 + lexical * 2 + Math.max(0, semantic - 0.3) * 2;
      if (score > bestScore) {
        bestScore = score;
        bestSentence = i;
      }
    });
    const totalKeywordHits = keywords.filter((k) => normalizedSentences.some((s) => s.includes(k))).length;
    let status: PointResult['status'] = 'miss';
    if (totalKeywordHits >= 2 || bestScore >= 2) status = 'hit';
    else if (totalKeywordHits === 1 || bestScore >= 1) status = 'partial';
    results.push({
      point,
      status,
      evidence: status !== 'miss' && bestSentence >= 0 ? sentences[bestSentence] : undefined,
    });
  }
  return results;
}

function cosine(a: number[], b: number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Weighted key-point coverage (hit 1, partial 0.5) → 0..1. */
export function coverageOf(points: PointResult[]): number {
  const total = points.reduce((sum, p) => sum + p.point.weight, 0) || 1;
  const got = points.reduce((sum, p) => sum + p.point.weight * (p.status === 'hit' ? 1 : p.status === 'partial' ? 0.5 : 0), 0);
  return got / total;
}

/** How much of the answer is about the question: its topic words and its key points. */
function topicRelevance(question: InterviewQuestion, answer: string): number {
  const topicWords = new Set([
    ...words(question.stem),
    ...question.keyPoints.flatMap((p) => [...words(p.point), ...p.keywords.flatMap((k) => words(k))]),
  ]);
  const answerWords = words(answer);
  if (answerWords.length === 0) return 0;
  const onTopic = answerWords.filter((w) => topicWords.has(w)).length;
  return onTopic / answerWords.length;
}

export interface DimensionInputs {
  question: InterviewQuestion;
  answer: string;
  points: PointResult[];
  cliches: string[];
}

export function scoreDimensions({ question, answer, points, cliches }: DimensionInputs): Record<DimensionKey, number> {
  const sentences = splitSentences(answer).map((s) => s.text);
  const length = contentLength(answer);
  const lengthFactor = clamp(length / 500, 0.3, 1); // 3 minutes of speech is ~450–650 characters
  const relevance = topicRelevance(question, answer);
  const first = sentences.slice(0, 2).join('');

  // D1 审题立意: a stance up front, on the question's topic, in the right role
  const hasStance = STANCE.test(first.trim());
  const roleOk = question.type === '综合分析' || /(我|作为|咱们|我们)/.test(answer);
  const d1 = clamp(2 + relevance * 10 + (hasStance ? 2 : 0) + (roleOk ? 1 : 0)) * Math.min(1, 0.4 + lengthFactor);

  // D2 核心能力: the type's families of moves, each counted once
  const families = CORE_FAMILIES[question.type];
  const found = families.filter((pattern) => pattern.test(answer)).length;
  const d2 = clamp((found / families.length) * 8 + coverageOf(points) * 3) * Math.min(1, 0.3 + lengthFactor);

  // D3 要点覆盖与联系实际
  const d3 = coverageScore(points, answer);

  // D4 逻辑结构: stance, layers, measures with actors and steps, a closing
  const ordinals = new Set(answer.match(ORDINALS) ?? []).size;
  const actors = new Set(answer.match(ACTORS) ?? []).size;
  const steps = new Set(answer.match(STEPS) ?? []).size;
  const closing = SUMMARY.test(sentences.slice(-2).join('')) || SUMMARY.test(answer.slice(-80));
  const d4 = clamp(
    (hasStance ? 2 : 0) + Math.min(3, ordinals * 0.75) + Math.min(2, actors * 0.4) + Math.min(1, steps * 0.34) + (closing ? 2 : 0),
  ) * Math.min(1, 0.3 + lengthFactor);

  // D5 言语表达: natural, varied, no template phrases, no filler, not repetitive
  const uniqueSentences = new Set(sentences.map(normalizeForMatch)).size;
  const repetition = sentences.length > 0 ? 1 - uniqueSentences / sentences.length : 0;
  const averageSentence = sentences.length > 0 ? length / sentences.length : 0;
  const fillers = countMatches(answer, FILLERS);
  const d5 = clamp(
    8 - cliches.length * 1.2 - repetition * 6 - fillers * 0.5 - (averageSentence > 90 ? 1.5 : 0) - (averageSentence < 8 ? 2 : 0),
  ) * Math.min(1, 0.25 + lengthFactor);

  return { D1: round1(d1), D2: round1(d2), D3: round1(d3), D4: round1(d4), D5: round1(d5) };
}

/** D3 from the key points: the official rule (≥4 points 好, 2–3 中, ≤1 差) plus concreteness. */
export function coverageScore(points: PointResult[], answer: string): number {
  const coverage = coverageOf(points);
  const hits = points.filter((p) => p.status === 'hit').length;
  const base =
    coverage >= 0.7 || hits >= 4
      ? 8 + Math.max(0, coverage - 0.7) * 6.7
      : coverage >= 0.4
        ? 4 + ((coverage - 0.4) / 0.3) * 3.5
        : (coverage / 0.4) * 3.5;
  const concrete = Math.min(1.5, countMatches(answer, CONCRETE) * 0.25);
  return round1(clamp(base + concrete));
}

export function totalOf(scores: Record<DimensionKey, number>): number {
  return Math.round(DIMENSIONS.reduce((sum, d) => sum + d.weight * scores[d.key], 0) * 10) / 10;
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

export function detectCliches(answer: string): string[] {
  return CLICHES.filter(([pattern]) => pattern.test(answer)).map(([, label]) => label);
}

/** Caps that no examiner, offline or model, may exceed; each with its plain explanation. */
export function guards(question: InterviewQuestion, answer: string): { cap?: number; notice?: string } {
  const length = contentLength(answer);
  if (length === 0) return { cap: 0, notice: '没有收到作答内容,本题记为差。' };
  if (length < MIN_ANSWER_CHARS) {
    return { cap: BAND_CAP_POOR, notice: `回答只有 ${length} 个字,远低于 3 分钟作答的正常篇幅(约 450–650 字),最高只能评为“差”。` };
  }
  if (containment(answer, question.stem) > 0.7) {
    return { cap: BAND_CAP_POOR, notice: '回答大部分是在复述题目,没有给出自己的分析和做法,最高只能评为“差”。' };
  }
  if (topicRelevance(question, answer) < 0.08) {
    return { cap: BAND_CAP_POOR, notice: '回答与题目关系不大(答非所问),最高只能评为“差”。' };
  }
  return {};
}

export function citationFor(point: KeyPoint, retriever: Retriever | undefined): PointCitation | undefined {
  if (!retriever) return undefined;
  for (const id of point.chunks) {
    const chunk = retriever.chunk(id);
    const essay = chunk ? retriever.essay(chunk.essayId) : undefined;
    if (chunk && essay) return { chunkId: chunk.id, essayId: essay.id, title: essay.title, section: chunk.section, quote: chunk.text };
  }
  return undefined;
}

/** Turns point results, dimension scores and guards into the review a user sees. */
export function buildReview(
  question: InterviewQuestion,
  answer: string,
  points: PointResult[],
  scores: Record<DimensionKey, number>,
  options: { mode: Review['mode']; retriever?: Retriever; notices?: string[]; cliches: string[] },
): Review {
  const guard = guards(question, answer);
  let total = totalOf(scores);
  const notices = [...(options.notices ?? [])];
  let finalScores = scores;
  if (guard.cap !== undefined && total > guard.cap) {
    // scale every dimension down so the sheet still adds up to the total shown
    const factor = total === 0 ? 0 : guard.cap / total;
    finalScores = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, round1(v * factor)])) as Record<DimensionKey, number>;
    total = totalOf(finalScores);
  }
  if (guard.notice) notices.push(guard.notice);
  const band = bandOf(total);
  const misses = points
    .filter((p) => p.status !== 'hit')
    .sort((a, b) => b.point.weight - a.point.weight)
    .map((p) => ({ pointId: p.point.id, point: p.point.point, weight: p.point.weight, citation: citationFor(p.point, options.retriever) }));
  const hits = points
    .filter((p) => p.status !== 'miss' && p.evidence)
    .map((p) => ({ point: p.point.point, evidence: p.evidence ?? '', status: p.status }));
  return {
    questionId: question.id,
    question: question.stem,
    type: question.type,
    total,
    band,
    dimensions: dimensionList(question, finalScores),
    points,
    hits,
    misses,
    feedback: feedbackFor(question, points, finalScores, options.cliches, guard.cap !== undefined),
    followUp: followUpFor(question, points, total),
    mode: options.mode,
    notices,
    cliches: options.cliches,
    modelAnswer: modelAnswerText(question),
  };
}

const DIMENSION_ADVICE: Record<DimensionKey, string> = {
  D1: '开头先用一句话亮明观点或身份(“我认为……”“作为驻村干部,我会……”),紧扣题目的核心矛盾。',
  D2: '按题型的答题思路展开,把关键环节讲具体。',
  D3: '多联系实际:用文章里的真实做法、案例和数据支撑观点。',
  D4: '用“一是、二是、三是”分层,对策写清谁来做、怎么做,最后用一句话总结或提出长效机制。',
  D5: '少用套话,句子短一些、口语化一些,像面对考官说话那样表达。',
};

const TYPE_ADVICE: Record<QuestionType, string> = {
  综合分析: '综合分析题要辩证看问题:先肯定意义,再分析原因和不足,对策要对应原因,最后升华。',
  组织管理: '组织管理题要讲清目标、前期准备(人财物和方案)、突出一个重点环节的细节、应急预案和总结反馈。',
  应急应变: '应急应变题先稳控现场、保障安全,再核实情况、分类处置,注意上报和舆情回应,最后建立长效机制。',
  人际沟通: '人际沟通题先反思自己、理解对方,再给出具体的沟通方法,既坚持原则又把工作完成。',
  现场模拟: '现场模拟题要直接以角色身份说话,称呼对象、表达理解、讲清依据并给出具体承诺。',
};

function feedbackFor(
  question: InterviewQuestion,
  points: PointResult[],
  scores: Record<DimensionKey, number>,
  cliches: string[],
  capped: boolean,
): string[] {
  const out: string[] = [];
  const missed = points.filter((p) => p.status === 'miss').sort((a, b) => b.point.weight - a.point.weight)[0];
  if (missed) out.push(`补上“${missed.point.point}”这一点${missed.point.evidence ? `,文章里的依据是“${missed.point.evidence}”` : ''}。`);
  if (cliches.length >= 2) out.push(`去掉${cliches.slice(0, 3).join('、')}这类套话,换成具体做法。`);
  const weakest = (Object.entries(scores) as Array<[DimensionKey, number]>).sort((a, b) => a[1] - b[1])[0];
  if (out.length < 2 && weakest) out.push(weakest[0] === 'D2' ? TYPE_ADVICE[question.type] : DIMENSION_ADVICE[weakest[0]]);
  if (capped && out.length < 2) out.push('按 3 分钟作答的篇幅(约 450–650 字)完整回答:表态、分析、对策、总结。');
  return out.slice(0, 2);
}

/** A 追问 like an examiner's: when a high-weight point was missed. */
export function followUpFor(question: InterviewQuestion, points: PointResult[], total: number): string | undefined {
  const missedHigh = points.filter((p) => p.status === 'miss' && p.point.weight >= 3);
  if (missedHigh.length === 0 || total < 20) return undefined;
  const target = missedHigh[0].point;
  // prefer the bank's own follow-up when it touches the missed point
  const matching = question.followUps.find((f) => target.keywords.some((k) => f.includes(k)));
  return matching ?? question.followUps[0] ?? `你刚才没有谈到“${target.point}”,请具体说说你会怎么做?`;
}

/** Scores an answer without any model. */
export async function scoreOffline(
  question: InterviewQuestion,
  rawAnswer: string,
  context: ScoringContext = {},
  notices: string[] = [],
): Promise<Review> {
  const { text: answer, removed } = stripInjections(rawAnswer);
  const extraNotices = [...notices];
  if (removed.length > 0) extraNotices.push('答案里有试图影响评分的指令性文字,已忽略,不计入评分。');
  const sentences = splitSentences(answer).map((s) => s.text);
  const points = await matchKeyPoints(question, sentences, context);
  const cliches = detectCliches(answer);
  const scores = scoreDimensions({ question, answer, points, cliches });
  return buildReview(question, answer, points, scores, { mode: 'offline', retriever: context.retriever, notices: extraNotices, cliches });
}
