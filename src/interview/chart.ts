/**
 * Drill-progress chart: a radar of the (average) dimension scores on the left
 * and a line of attempt totals on the right, sent to Telegram as one PNG.
 *
 * echarts' server-side renderer builds the SVG (pure, testable) and
 * @resvg/resvg-js rasterises it. Chinese text uses Noto Sans SC shipped inside
 * the npm package @embedpdf/fonts-sc, so no system font is needed and the chart
 * renders identically on any machine, fully offline.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { BAND_FLOORS } from './scorer.ts';

export interface ProgressChartData {
  /** Scoring dimensions (usually five), each 0..max. */
  dimensions: Array<{ name: string; score: number; max: number }>;
  /** Attempt totals 0..100 in time order. */
  trend: Array<{ label: string; total: number }>;
  title?: string;
}

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 520;
export const DEFAULT_CHART_TITLE = '面试练习进度';
/** Family name stored inside NotoSansHans-*.otf (name ID 16). */
export const CHART_FONT_FAMILY = 'Noto Sans S Chinese';

const COLORS = { text: '#1f2937', muted: '#6b7280', grid: '#e5e7eb', radar: '#3b6fd8' } as const;
/** Lowest first. The line, its dots, the band's background and its threshold line share a colour. */
const BANDS = [
  { name: '差', floor: 0, color: '#d64545', fill: '#fdf2f2' },
  { name: '中', floor: BAND_FLOORS.fair, color: '#e8890c', fill: '#fff8eb' },
  { name: '好', floor: BAND_FLOORS.good, color: '#2f9e44', fill: '#eefaf0' },
] as const;
const ceilingOf = (i: number): number => BANDS[i + 1]?.floor ?? 100;
/** Right panel (the line's grid), in px; the radar is centred in the left half. */
const PLOT = { left: 575, right: 945, top: 125, bottom: 435 } as const;
/** x labels are cut to this width (px), so thinning them can count on it. */
const X_LABEL_WIDTH = 72;
const RADAR = { cx: 250, cy: 300, radius: 135 } as const;

/** The package exports only dist/; its fonts/ folder sits beside it. */
function fontFile(name: string): string {
  const dist = dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc'));
  const path = join(dist, '..', 'fonts', name);
  if (!existsSync(path)) throw new Error(`chart font missing: ${path}`);
  return path;
}

/** Absolute path of the Simplified Chinese font used for the chart. */
export function chartFontPath(): string {
  return fontFile('NotoSansHans-Regular.otf');
}

/** resvg options: only the bundled fonts (Bold for the title), never system fonts. */
export function chartRenderOptions(): ResvgRenderOptions {
  return {
    fitTo: { mode: 'original' },
    background: '#ffffff',
    font: {
      fontFiles: [chartFontPath(), fontFile('NotoSansHans-Bold.otf')],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  };
}

/** echarts escapes text content, but characters illegal in XML 1.0 would still break resvg's parser. */
function cleanText(s: unknown): string {
  return String(s ?? '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

/** Integers without decimals, otherwise one decimal. */
function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** (graphic texts do not inherit the option's textStyle, hence the font here.) */
function placeholder(x: number, y: number, text: string): echarts.GraphicComponentOption {
  return { type: 'text', x, y, z: 100, style: { text, fontFamily: CHART_FONT_FAMILY, fontSize: 20, fill: COLORS.muted, align: 'center', verticalAlign: 'middle' } };
}

/** One half of the chart: its components, series and free-standing graphics. */
interface Panel {
  components: echarts.EChartsOption;
  series: echarts.SeriesOption[];
  graphic: echarts.GraphicComponentOption[];
}

/**
 * Width in px for the name at spoke i of n (the first points up): a side name grows
 * outwards from its spoke's end and must stop 10px short of the left half's edge.
 */
function nameRoom(i: number, n: number): number {
  const outwards = Math.abs(Math.sin((2 * Math.PI * i) / n));
  return outwards < 0.2 ? 200 : Math.min(130, RADAR.cx - 10 - outwards * (RADAR.radius + 15));
}

function radarPanel(data: ProgressChartData['dimensions']): Panel {
  const dims = data.map((d) => {
    const max = clamp(d.max, 0, Infinity) || 10;
    return { name: cleanText(d.name) || '—', max, score: clamp(d.score, 0, max) };
  });
  if (dims.length === 0) return { components: {}, series: [], graphic: [placeholder(RADAR.cx, RADAR.cy, '暂无评分数据')] };
  return {
    components: { radar: {
      center: [RADAR.cx, RADAR.cy],
      radius: RADAR.radius,
      splitNumber: 5,
      // The label is the indicator's name: "name\nscore / max", the name cut to one line
      // so it stays inside the left half. (Plain text, not a formatter with rich text:
      // a name containing { or | must not be parsed as markup.)
      indicator: dims.map((d, i) => ({
        name: `${echarts.format.truncateText(d.name, nameRoom(i, dims.length), `14px ${CHART_FONT_FAMILY}`, '…')}\n${fmt(d.score)} / ${fmt(d.max)}`,
        max: d.max,
      })),
      axisName: { color: COLORS.text, fontSize: 14, lineHeight: 18 },
      axisLine: { lineStyle: { color: COLORS.grid } },
      splitLine: { lineStyle: { color: COLORS.grid } },
      splitArea: { show: false },
    } },
    series: [{
      type: 'radar',
      data: [{ value: dims.map((d) => d.score), name: '各维度平均得分' }],
      lineStyle: { color: COLORS.radar, width: 2.5 },
      itemStyle: { color: COLORS.radar },
      areaStyle: { color: COLORS.radar, opacity: 0.22 },
      symbolSize: 7,
    }],
    graphic: [],
  };
}

function trendPanel(data: ProgressChartData['trend']): Panel {
  const points = data.map((t) => ({ label: cleanText(t.label), total: clamp(t.total, 0, 100) }));
  const n = points.length;
  const spacing = (PLOT.right - PLOT.left) / Math.max(1, n - 1);
  // Thin labels so neighbours never overlap (x labels are at most X_LABEL_WIDTH wide,
  // values about two digits and at most ~12 of them); counting from the latest attempt
  // keeps it always labelled.
  const xStep = Math.ceil((X_LABEL_WIDTH + 8) / spacing);
  const valueStep = Math.max(Math.ceil(26 / spacing), Math.ceil(n / 12));
  const shown = (i: number, step: number): boolean => (n - 1 - i) % step === 0;
  return { components: {
    grid: { left: PLOT.left, right: CHART_WIDTH - PLOT.right, top: PLOT.top, bottom: CHART_HEIGHT - PLOT.bottom },
    xAxis: {
      type: 'category',
      data: points.map((p) => p.label),
      boundaryGap: n <= 1,
      axisLine: { lineStyle: { color: COLORS.muted } },
      axisTick: { interval: (i: number) => shown(i, xStep) },
      axisLabel: { interval: (i: number) => shown(i, xStep), color: COLORS.muted, fontSize: 12, width: X_LABEL_WIDTH, overflow: 'truncate', ellipsis: '…' },
    },
    yAxis: { type: 'value', min: 0, max: 100, interval: 20, axisLabel: { color: COLORS.muted }, splitLine: { lineStyle: { color: COLORS.grid } } },
    // Colours the line and its dots by band (the line is series 0).
    visualMap: {
      show: false,
      seriesIndex: 0,
      dimension: 1,
      pieces: BANDS.map((b, i) => ({ gte: b.floor, ...(i < BANDS.length - 1 ? { lt: ceilingOf(i) } : { lte: 100 }), color: b.color })),
    } },
    series: [
      {
        type: 'line',
        // Values sit above peaks and below valleys, beside the line rather than on it
        // (but never below a point so low the value would land on the x labels).
        data: points.map((p, i) => {
          const valley = p.total < ((points[i - 1] ?? p).total + (points[i + 1] ?? p).total) / 2 && p.total > 8;
          return { value: p.total, label: { show: shown(i, valueStep), position: valley ? 'bottom' : 'top' } };
        }),
        showAllSymbol: true,
        symbolSize: n > 25 ? 5 : 8,
        lineStyle: { width: 2.5 },
        label: { formatter: (p) => fmt(Number(p.value)), color: COLORS.text, fontSize: 12, fontWeight: 'bold', textBorderColor: '#fff', textBorderWidth: 3 },
        markArea: { silent: true, data: BANDS.map((b, i) => [{ yAxis: b.floor, itemStyle: { color: b.fill } }, { yAxis: ceilingOf(i) }]) },
        markLine: {
          silent: true,
          symbol: 'none',
          data: BANDS.slice(1).map((b) => ({
            yAxis: b.floor,
            lineStyle: { color: b.color, type: 'dashed', width: 1.5 },
            label: { formatter: `${b.name}\n${b.floor}`, color: b.color, fontWeight: 'bold', position: 'end', distance: 8 },
          })),
        },
      },
    ],
    graphic: n === 0 ? [placeholder((PLOT.left + PLOT.right) / 2, (PLOT.top + PLOT.bottom) / 2, '暂无练习记录')] : [],
  };
}

/** Build the complete chart as an SVG document (pure; no I/O). */
export function progressChartSvg(data: ProgressChartData): string {
  const totals = (data.trend ?? []).map((t) => clamp(t.total, 0, 100));
  const subtitle = totals.length === 0
    ? '完成一次练习后即可查看进度'
    : `共 ${totals.length} 次练习 · 最近 ${fmt(totals[totals.length - 1])} 分 · 最高 ${fmt(Math.max(...totals))} 分`;
  const trend = trendPanel(data.trend ?? []);
  const radar = radarPanel(data.dimensions ?? []);
  const heading = (text: string, left: number): echarts.TitleComponentOption => ({ text, left, top: 80, textAlign: 'center', textStyle: { fontSize: 16, fontWeight: 'normal', color: COLORS.muted } });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: [
        {
          text: cleanText(data.title) || DEFAULT_CHART_TITLE,
          subtext: subtitle,
          left: 'center',
          top: 14,
          itemGap: 8,
          textStyle: { fontSize: 24, fontWeight: 'bold', color: COLORS.text, width: CHART_WIDTH - 80, overflow: 'truncate', ellipsis: '…' },
          subtextStyle: { fontSize: 13, color: COLORS.muted },
        },
        heading('各维度平均得分', RADAR.cx),
        heading('总分趋势', (PLOT.left + PLOT.right) / 2),
      ],
      ...trend.components,
      ...radar.components,
      series: [...trend.series, ...radar.series],
      graphic: [
        { type: 'line', shape: { x1: 500, y1: 86, x2: 500, y2: 490 }, style: { stroke: COLORS.grid } },
        ...radar.graphic,
        ...trend.graphic,
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterise an SVG with the bundled Chinese font (no system fonts). */
export async function rasterizeSvg(svg: string): Promise<Buffer> {
  return (await renderAsync(svg, chartRenderOptions())).asPng();
}

/** Render the progress chart as PNG bytes (CHART_WIDTH × CHART_HEIGHT). */
export async function renderProgressChart(data: ProgressChartData): Promise<Buffer> {
  return rasterizeSvg(progressChartSvg(data));
}
