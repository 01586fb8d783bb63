// Scores per dimension over time, for the practice record: one line per dimension (0–10) across
// the attempts, drawn like the progress chart (echarts' SVG renderer, the bundled Chinese font).
import * as echarts from 'echarts';
import { CHART_FONT_FAMILY, rasterizeSvg } from './chart.ts';
import type { DimensionKey } from './types.ts';

export interface DimensionPoint {
  label: string;
  dims: Record<DimensionKey, number>;
}

const LINES: Array<{ key: DimensionKey; name: string; color: string }> = [
  { key: 'D1', name: '审题立意', color: '#3b6fd8' },
  { key: 'D2', name: '核心能力', color: '#d64545' },
  { key: 'D3', name: '要点覆盖', color: '#2f9e44' },
  { key: 'D4', name: '逻辑结构', color: '#e8890c' },
  { key: 'D5', name: '言语表达', color: '#7c3aed' },
];

export const DIMENSION_CHART = { width: 1000, height: 420 } as const;

export function dimensionTrendSvg(points: DimensionPoint[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: DIMENSION_CHART.width, height: DIMENSION_CHART.height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: { text: '各维度得分变化', left: 'center', top: 10, textStyle: { fontSize: 20, color: '#1f2937' } },
      legend: { top: 46, data: LINES.map((l) => l.name), textStyle: { fontSize: 14, color: '#374151' } },
      grid: { left: 60, right: 30, top: 90, bottom: 50 },
      xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { fontSize: 12, color: '#6b7280', hideOverlap: true } },
      yAxis: { type: 'value', min: 0, max: 10, interval: 2, axisLabel: { fontSize: 12, color: '#6b7280' }, splitLine: { lineStyle: { color: '#e5e7eb' } } },
      series: LINES.map((l) => ({ type: 'line', name: l.name, data: points.map((p) => p.dims[l.key]), symbolSize: 6, lineStyle: { width: 2.5, color: l.color }, itemStyle: { color: l.color } })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function renderDimensionTrend(points: DimensionPoint[]): Promise<Buffer> {
  return rasterizeSvg(dimensionTrendSvg(points));
}
