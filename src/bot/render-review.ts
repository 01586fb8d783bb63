// The review of an answer: the first, phone-sized message, and the details behind it.
import { InlineKeyboard } from 'grammy';
import { missesHeading, OWN_QUESTION_ID, type DimensionKey, type Review } from '../interview/index.ts';
import type { ScoreSummary } from '../interview/progress.ts';
import { clockText, durationText } from './clock-text.ts';
import { encodeDrill, tryButton } from './drill-actions.ts';
import { bold, clip, compose, italic, para, plain, quoteBlock, type Block, type OutMessage } from './render.ts';

export type { Delivery, FollowUpOutcome, ReviewRecord } from '../interview/review-record.ts';
import { followUpLines, FOLLOW_UP_SCORE_NOTE, hitLabel, moveLabel, type Delivery, type FollowUpOutcome, type ReviewRecord } from '../interview/review-record.ts';

/** Spoken Chinese runs at about 180–220 characters a minute (research notes §7). */
export const CHARS_PER_MINUTE = 200;

export function modeLabel(mode: Review['mode']): string {
  return mode === 'llm'
    ? '大模型评分(温度 0;引用的原话逐字核对,总分由程序按维度权重计算)'
    : '离线规则评分(按要点关键词、语义匹配和答题结构打分,结果可复现)';
}

/** Speaking rate from the transcript and the recording's length, against the exam norm (research notes §7). */
function voicePace(delivery: Extract<Delivery, { kind: 'voice' }>): string {
  if (delivery.seconds < 20) return '';
  const rate = Math.round((delivery.chars / delivery.seconds) * 60);
  const verdict = rate < 160 ? '偏慢,可以更紧凑' : rate > 240 ? '偏快,考官可能跟不上' : '在考场常见的 180–220 字之间或附近';
  const fillers =
    delivery.fillers === undefined
      ? ''
      : delivery.fillers === 0
        ? ';没有听出口头语(嗯、啊、那个、然后……)'
        : `;口头语(嗯、啊、那个、然后……)约 ${delivery.fillers} 次${delivery.fillers >= 8 ? ',偏多,考场上尽量换成停顿' : ''}`;
  return `语速约 ${rate} 字/分钟,${verdict}${fillers}。`;
}

/** Filler words in a transcript: 嗯、啊、呃、那个、然后、就是说. */
export function fillerCount(transcript: string): number {
  return (transcript.match(/嗯+|啊+(?=[,，。 ])|呃+|那个(?=[,，、 ]|那个)|然后(?=[,，、 ]|然后)|就是说/g) ?? []).length;
}

function deliveryLine(delivery: Delivery, answerSeconds: number): string {
  if (delivery.kind === 'voice') {
    const over = delivery.seconds - answerSeconds;
    const length =
      over > 0
        ? `语音时长 ${clockText(delivery.seconds)},超出规定的 ${durationText(answerSeconds)} ${durationText(over)};真实考场超时会被打断。`
        : `语音时长 ${clockText(delivery.seconds)},在规定的 ${durationText(answerSeconds)}以内。`;
    return length + voicePace(delivery);
  }
  const spoken = (delivery.chars / CHARS_PER_MINUTE) * 60;
  const parts = [`约 ${delivery.chars} 字,按每分钟约 ${CHARS_PER_MINUTE} 字估算,口述约 ${clockText(spoken)}(规定 ${durationText(answerSeconds)})。`];
  if (delivery.overtimeSeconds !== undefined && delivery.overtimeSeconds > 0) parts.push(`提交时已超出作答时间 ${clockText(delivery.overtimeSeconds)}。`);
  return parts.join('');
}

export interface ReviewView {
  /** offer 「改写你的回答」 (a model is configured) */
  rewrite?: boolean;
  heading: string;
  answerSeconds: number;
  /** show the buttons (excerpts of missed points, reference answer) */
  buttons: boolean;
}

/** The short names of the dimensions, for the one-line sheet. */
const SHORT_DIMENSION: Record<DimensionKey, string> = { D1: '审题', D2: '核心能力', D3: '要点', D4: '结构', D5: '表达' };

/** The top of every review (a fresh one or one reopened from /history): total, band, and the five dimensions in one line. */
export function scoreSheetBlock(score: Pick<ScoreSummary, 'total' | 'band' | 'dims'>): Block {
  const dims = (Object.keys(SHORT_DIMENSION) as DimensionKey[]).map((key) => `${SHORT_DIMENSION[key]} ${score.dims[key].toFixed(1)}`).join(' · ');
  return para(bold(`总分 ${score.total} / 100 · 档次:${score.band}`), plain(`\n${dims}(每项满分 10)`));
}

/**
 * The first message of a review, made for a phone: score and band, the dimensions in one line,
 * what capped or cost points, and the two most important fixes. Everything else is one tap away.
 */
export function renderReview(record: ReviewRecord, view: ReviewView): OutMessage[] {
  const { review } = record;
  const dims = Object.fromEntries(review.dimensions.map((d) => [d.key, d.score])) as Record<DimensionKey, number>;
  const blocks: Block[] = [para(bold(view.heading)), scoreSheetBlock({ total: review.total, band: review.band, dims })];
  for (const notice of review.notices) blocks.push(para(italic(`⚠️ ${clip(notice, 90)}`)));
  const fixes = review.feedback.slice(0, 2);
  if (fixes.length > 0) blocks.push(para(bold('最该改的'), plain(`\n${fixes.map((f, i) => `${i + 1}. ${clip(f, 80)}`).join('\n')}`)));
  const made = review.hits.length;
  const total = made + review.misses.length;
  if (total > 0) blocks.push(para(plain(`要点:答到 ${made}/${total}。`), italic(view.buttons ? '点「要点与原文」看你的原话和没答到的要点。' : '')));
  if (record.followUp) blocks.push(...followUpBlocks(record.followUp));
  // how long it took matters at once when it was spoken or late
  if (record.delivery.kind === 'voice' || record.delivery.overtimeSeconds) blocks.push(para(plain(deliveryLine(record.delivery, view.answerSeconds))));
  blocks.push(para(italic(`评分方式:${review.mode === 'llm' ? '大模型评分' : '离线规则评分'}`)));
  const keyboard = new InlineKeyboard();
  if (view.buttons && record.id) tryButton(keyboard, '要点与原文', { kind: 'details', id: record.id });
  if (view.buttons && view.rewrite && record.id && record.answer) tryButton(keyboard, '改写你的回答', { kind: 'rewrite', id: record.id });
  if (view.buttons && review.questionId && review.questionId !== OWN_QUESTION_ID) tryButton(keyboard, '查看参考答案', { kind: 'answer', questionId: review.questionId });
  return compose(blocks, keyboard);
}

/** The candidate's answer rewritten by the model, with what changed (model mode only). */
export function renderRewrite(rewritten: string, changes: string[]): OutMessage[] {
  return compose([
    para(bold('✍️ 改写你的回答(大模型)')),
    quoteBlock(plain(rewritten)),
    para(bold('改了什么'), plain(`\n${changes.map((c, i) => `${i + 1}. ${c}`).join('\n')}`)),
    para(italic('改写只是参考:保留你自己的观点和例子,按上面的改动练一遍。')),
  ]);
}

/** The details behind the review: the sheet with weights, points made with the candidate's words, misses with their excerpts. */
export function renderReviewDetails(record: ReviewRecord, view: ReviewView): OutMessage[] {
  const { review } = record;
  const blocks: Block[] = [
    para(bold(`🔎 要点与原文 · ${review.type}`)),
    para(plain(`评分方式:${modeLabel(review.mode)}`)),
    para(plain(deliveryLine(record.delivery, view.answerSeconds))),
    para(
      bold('各维度得分'),
      plain('(每项满分 10)\n'),
      plain(review.dimensions.map((d) => `${d.name} ${d.score.toFixed(1)}/10(权重 ${d.weight})`).join('\n')),
    ),
  ];
  if (review.hits.length > 0) {
    const lines = review.hits.map((h) => `${hitLabel(h)}${yourWords(h.evidence)}`);
    blocks.push(para(bold('答到的要点'), plain(`\n${lines.join('\n')}`)));
  } else if (review.misses.length > 0) {
    blocks.push(para(bold('答到的要点'), plain('\n暂无:回答里没有找到能对应采分点的句子。')));
  }
  if (review.moves && review.typeSource && review.typeSource !== 'bank') {
    blocks.push(para(bold(`${review.type}题的答题环节`), plain(`\n${review.moves.map(moveLabel).join('\n')}`)));
  }
  const keyboard = new InlineKeyboard();
  if (review.misses.length > 0) {
    const lines = review.misses.map((m, i) => {
      const weight = m.weight >= 3 ? '【重点】' : '';
      const source = m.citation ? `\n   依据:《${m.citation.title}》${m.citation.section ? ` · ${m.citation.section}` : ''}` : '\n   (态度类要点,没有对应的文章段落)';
      return `${i + 1}. ${weight}${m.point}${source}`;
    });
    const withSource = review.misses.filter((m) => m.citation).length;
    blocks.push(para(bold(missesHeading(review)), plain(`\n${lines.join('\n')}`), ...(withSource > 0 && view.buttons ? [italic('\n点下方按钮查看对应的文章原文。')] : [])));
    if (view.buttons) {
      review.misses.forEach((m, i) => {
        if (m.citation && tryButton(keyboard, `📖 ${i + 1}. ${clip(m.point, 18)}`, { kind: 'miss', pointId: m.pointId, chunkId: m.citation.chunkId })) keyboard.row();
      });
    }
  }
  if (review.feedback.length > 2) blocks.push(para(bold('改进建议'), plain(`\n${review.feedback.map((f, i) => `${i + 1}. ${f}`).join('\n')}`)));
  if (review.cliches.length > 0) blocks.push(para(italic(`套话提醒:${review.cliches.join('、')}。考官更看重具体做法。`)));
  return compose(blocks, keyboard);
}

/** The candidate's own sentence under a point. */
const yourWords = (evidence: string): string => `\n   你的原话:「${clip(evidence, 120)}」`;

function followUpBlocks(outcome: FollowUpOutcome): Block[] {
  const blocks: Block[] = [para(bold('追问:'), plain(outcome.question))];
  if (!outcome.answered) {
    blocks.push(para(plain('(没有回答追问)')));
    return blocks;
  }
  blocks.push(para(bold('追问回答反馈'), plain(`\n${followUpLines(outcome, yourWords).join('\n')}`)));
  blocks.push(para(italic(FOLLOW_UP_SCORE_NOTE)));
  return blocks;
}

export function renderFollowUpOutcome(outcome: FollowUpOutcome): OutMessage[] {
  const blocks = followUpBlocks(outcome).slice(1);
  if (outcome.mode) blocks.push(para(italic(`评分方式:${outcome.mode === 'llm' ? '大模型评分' : '离线规则评分'}`)));
  return compose(blocks);
}

export function renderFollowUpPrompt(question: string, voice: boolean): OutMessage[] {
  const keyboard = new InlineKeyboard().text('跳过追问', encodeDrill({ kind: 'skip' }));
  return compose(
    [
      para(bold('🗣️ 考官追问')),
      quoteBlock(plain(question)),
      para(italic(`请直接${voice ? '用文字或语音' : '用文字'}回答,讲清具体怎么做即可(约 1 分钟的内容)。`)),
    ],
    keyboard,
  );
}

