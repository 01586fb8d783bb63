// The practice record as a PDF to keep: a summary, the progress chart, every attempt's scores
// per dimension over time, the points missed again and again, and each attempt's question,
// answer and review. Chinese text is set in Noto Sans SC (the chart's font, shipped inside
// @embedpdf/fonts-sc); pdfkit embeds only the glyphs used, so the file stays small.
import PDFDocument from 'pdfkit';
import { chartFontPath, renderProgressChart } from './chart.ts';
import { renderDimensionTrend } from './dimension-chart.ts';
import { attemptId, oftenMissed, questionOfAttempt } from './history.ts';
import { drillStats, type Attempt, type DrillHistory } from './progress.ts';
import { OWN_QUESTION_ID, type InterviewQuestion } from './types.ts';
import { missesHeading } from './review.ts';

export interface PracticeRecordInput {
  history: DrillHistory;
  byId: ReadonlyMap<string, InterviewQuestion>;
  now: Date;
  /** who it is for, on the title page (optional) */
  name?: string;
  /** the charts; default: rendered with echarts + resvg */
  chart?: (input: Parameters<typeof renderProgressChart>[0]) => Promise<Buffer>;
  dimensionChart?: typeof renderDimensionTrend;
}

const FONT = 'cjk';
const COLORS = { text: '#1f2937', muted: '#6b7280', accent: '#3b6fd8', rule: '#d1d5db' } as const;
const DIM_SHORT = [
  ['D1', '审题'],
  ['D2', '核心'],
  ['D3', '要点'],
  ['D4', '结构'],
  ['D5', '表达'],
] as const;

export function beijingTime(at: string | Date): string {
  return new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** The practice record as PDF bytes. */
export async function renderPracticePdf(input: PracticeRecordInput): Promise<Buffer> {
  const { history, byId } = input;
  const stats = drillStats(history);
  const chartPng =
    history.attempts.length > 0
      ? await (input.chart ?? renderProgressChart)({ dimensions: stats.byDimension.map((d) => ({ name: d.name, score: d.average, max: 10 })), trend: stats.trend, title: '面试练习进度' }).catch(() => undefined)
      : undefined;
  // the last 30 attempts, labelled by date: the dimensions over time
  const recent = history.attempts.slice(-30);
  const trendPng =
    recent.length > 1
      ? await (input.dimensionChart ?? renderDimensionTrend)(recent.map((a) => ({ label: beijingTime(a.at).slice(5, 10), dims: a.dims }))).catch(() => undefined)
      : undefined;

  const doc = new PDFDocument({ size: 'A4', margin: 50, bufferPages: true, info: { Title: '结构化面试练习记录', Creator: 'zhili-bot' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, chartFontPath());
  doc.font(FONT).fillColor(COLORS.text);

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const heading = (text: string, size = 14): void => {
    if (doc.y > doc.page.height - 120) doc.addPage();
    doc.moveDown(0.6).fontSize(size).fillColor(COLORS.accent).text(text).fillColor(COLORS.text).moveDown(0.3);
  };
  const body = (text: string, options: PDFKit.Mixins.TextOptions = {}): void => void doc.fontSize(10.5).fillColor(COLORS.text).text(text, { lineGap: 3, ...options });
  const muted = (text: string): void => void doc.fontSize(9).fillColor(COLORS.muted).text(text, { lineGap: 2 }).fillColor(COLORS.text);

  // title and summary
  doc.fontSize(20).text('结构化面试练习记录', { align: 'center' });
  muted(`${input.name ? `${input.name} · ` : ''}生成于 ${beijingTime(input.now)}(北京时间)· 共 ${stats.attempts} 次练习`);
  if (history.attempts.length === 0) {
    body('\n还没有练习记录。在机器人里发送 /drill 练一道题,之后再导出。');
    doc.end();
    return finished;
  }
  heading('概况');
  body(`平均分 ${stats.averageTotal};档次:好 ${stats.bands.好} 次、中 ${stats.bands.中} 次、差 ${stats.bands.差} 次。`);
  body(`各维度平均(满分 10):${stats.byDimension.map((d) => `${d.name} ${d.average.toFixed(1)}`).join(',')}。`);
  body(`各题型:${stats.byType.map((t) => `${t.type} ${t.count} 次,平均 ${t.average} 分`).join(';')}。`);
  if (stats.weakest) body(`最需要加强:${stats.weakest.name}(平均 ${stats.weakest.average.toFixed(1)}/10)。`);
  if (chartPng) {
    doc.moveDown(0.5);
    doc.image(chartPng, { fit: [width, width * 0.52], align: 'center' });
    doc.moveDown(0.3);
    muted('左:各维度平均分;右:每次练习的总分(背景色为好/中/差档)。');
  }

  if (trendPng) {
    if (doc.y > doc.page.height - 300) doc.addPage();
    doc.moveDown(0.5);
    doc.image(trendPng, { fit: [width, width * 0.42], align: 'center' });
    doc.moveDown(0.3);
    muted(`最近 ${recent.length} 次练习的五个维度(满分 10)。`);
  }
  dimensionTable(doc, history.attempts, width, heading);

  const missed = oftenMissed(history, byId);
  if (missed.points.length > 0 || missed.moves.length > 0) {
    heading('常漏要点(漏答 2 次及以上)');
    for (const p of missed.points.slice(0, 12)) body(`· ${p.point.point}(${p.question.id} · ${p.question.type}:${p.attempts} 次练习漏了 ${p.missed} 次)`);
    for (const m of missed.moves.slice(0, 8)) body(`· ${m.type}的答题环节:${m.move}(${m.attempts} 次中漏了 ${m.missed} 次)`);
  }

  heading('逐次作答与点评');
  history.attempts.forEach((attempt, i) => attemptSection(doc, attempt, i + 1, questionOfAttempt(attempt, byId), { heading, body, muted }));

  // page numbers, once every page exists
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    doc.fontSize(8).fillColor(COLORS.muted).text(`${i + 1} / ${range.count}`, 0, doc.page.height - 35, { align: 'center', width: doc.page.width, lineBreak: false });
  }
  doc.end();
  return finished;
}

/** Every attempt's scores, one row each: the dimensions over time. */
function dimensionTable(doc: PDFKit.PDFDocument, attempts: Attempt[], width: number, heading: (text: string) => void): void {
  heading('各维度得分变化(每项满分 10)');
  const columns = [
    { title: '#', w: 0.06 },
    { title: '时间', w: 0.22 },
    { title: '题型', w: 0.14 },
    { title: '总分', w: 0.1 },
    ...DIM_SHORT.map(([, name]) => ({ title: name, w: 0.096 })),
  ];
  const left = doc.page.margins.left;
  const row = (cells: string[], bold = false): void => {
    if (doc.y > doc.page.height - 80) doc.addPage();
    const y = doc.y;
    let x = left;
    doc.fontSize(9).fillColor(bold ? COLORS.accent : COLORS.text);
    cells.forEach((cell, i) => {
      const w = columns[i].w * width;
      doc.text(cell, x, y, { width: w - 4, lineBreak: false });
      x += w;
    });
    doc.x = left;
    doc.y = y + 15;
  };
  row(columns.map((c) => c.title), true);
  doc.moveTo(left, doc.y - 2).lineTo(left + width, doc.y - 2).strokeColor(COLORS.rule).stroke();
  attempts.forEach((a, i) => row([String(i + 1), beijingTime(a.at).slice(0, 16), a.type, `${a.total}(${a.band})`, ...DIM_SHORT.map(([key]) => a.dims[key].toFixed(1))]));
  doc.fillColor(COLORS.text);
}

interface Writers {
  heading: (text: string, size?: number) => void;
  body: (text: string, options?: PDFKit.Mixins.TextOptions) => void;
  muted: (text: string) => void;
}

function attemptSection(doc: PDFKit.PDFDocument, attempt: Attempt, n: number, question: string, { heading, body, muted }: Writers): void {
  heading(`第 ${n} 次 · ${beijingTime(attempt.at)} · ${attempt.type} · ${attempt.total} 分(${attempt.band})`, 12);
  muted(`编号 ${attemptId(attempt.at)}${attempt.questionId && attempt.questionId !== OWN_QUESTION_ID ? ` · 题号 ${attempt.questionId}` : ' · 自拟题目'} · ${attempt.mode === 'llm' ? '大模型评分' : '离线规则评分'}`);
  body(`题目:${question}`);
  const detail = attempt.detail;
  if (!detail) {
    muted('这次练习较早,只保留了分数,没有保留作答原文和点评。');
    return;
  }
  const { review } = detail;
  doc.moveDown(0.3);
  body('我的作答:', { continued: false });
  body(detail.answer.trim(), { indent: 12 });
  doc.moveDown(0.3);
  body(`各维度:${review.dimensions.map((d) => `${d.name} ${d.score.toFixed(1)}`).join(',')}。`);
  for (const notice of review.notices) muted(`注意:${notice}`);
  if (review.hits.length > 0) body(`答到的要点:\n${review.hits.map((h) => `· ${h.point}${h.status === 'partial' ? '(部分答到)' : ''}——“${h.evidence.slice(0, 80)}”`).join('\n')}`);
  if (review.misses.length > 0) body(`${missesHeading({ questionId: attempt.questionId ?? OWN_QUESTION_ID })}:\n${review.misses.map((m) => `· ${m.point}${m.citation ? `(《${m.citation.title}》:“${m.citation.quote.replace(/\s+/g, ' ').slice(0, 60)}…”)` : ''}`).join('\n')}`);
  if (review.feedback.length > 0) body(`改进建议:\n${review.feedback.map((f, i) => `${i + 1}. ${f}`).join('\n')}`);
  if (review.cliches.length > 0) muted(`套话:${review.cliches.join('、')}`);
  const followUp = detail.followUp;
  if (followUp) {
    const lines = followUp.answered
      ? [...followUp.covered.map((c) => `· ${c.status === 'hit' ? '补上了' : '部分补上'}:${c.point}`), ...followUp.remaining.map((r) => `· 仍未谈到:${r}`)]
      : ['(没有回答追问)'];
    body(`追问:${followUp.question}\n${lines.join('\n')}`);
  }
}
