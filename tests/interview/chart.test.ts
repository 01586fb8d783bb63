import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_WIDTH,
  DEFAULT_CHART_TITLE,
  chartFontPath,
  chartRenderOptions,
  progressChartSvg,
  renderProgressChart,
  type ProgressChartData,
} from '../../src/interview/chart.ts';
import { BAND_FLOORS } from '../../src/interview/scorer.ts';

const DIMENSIONS: ProgressChartData['dimensions'] = [
  { name: '审题立意', score: 7.2, max: 10 },
  { name: '核心能力', score: 6.4, max: 10 },
  { name: '要点覆盖与联系实际', score: 5.8, max: 10 },
  { name: '逻辑结构', score: 8.1, max: 10 },
  { name: '言语表达', score: 7.5, max: 10 },
];

const SAMPLE: ProgressChartData = {
  dimensions: DIMENSIONS,
  trend: [
    { label: '11-20', total: 42 },
    { label: '11-24', total: 51.5 },
    { label: '11-28', total: 78 },
  ],
};

const manyAttempts = (n: number): ProgressChartData['trend'] =>
  Array.from({ length: n }, (_, i) => ({ label: `第${i + 1}次`, total: 40 + (i % 7) * 5 + i * 0.3 }));

interface SvgText {
  text: string;
  x: number;
  y: number;
  style: string;
}

/** Every <text> of echarts' SVG with its position: translate(), plus x/y for a line of a multi-line label. */
function texts(svg: string): SvgText[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, text]) => {
    const [, tx, ty] = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(attrs) ?? [, 'NaN', 'NaN'];
    const attr = (name: string): number => Number(new RegExp(`(?:^|\\s)${name}="([-\\d.]+)"`).exec(attrs)?.[1] ?? 0);
    return { text, x: Number(tx) + attr('x'), y: Number(ty) + attr('y'), style: /style="([^"]*)"/.exec(attrs)?.[1] ?? '' };
  });
}

/** Width/height from the IHDR chunk, after checking the PNG signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Count dark pixels (opaque-ish and luminance < 128) inside a box of an RGBA image. */
function darkPixels(img: { pixels: Buffer; width: number }, box: { x0: number; y0: number; x1: number; y1: number }): number {
  const { pixels, width } = img;
  let dark = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * width + x) * 4;
      const lum = 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
      if (pixels[i + 3] > 128 && lum < 128) dark++;
    }
  }
  return dark;
}

const NO_FONTS = { fitTo: { mode: 'original' as const }, background: '#ffffff', font: { fontFiles: [], loadSystemFonts: false } };

describe('progressChartSvg', () => {
  it('has the title, every dimension with its score, and the attempts with their totals', () => {
    const svg = progressChartSvg(SAMPLE);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`);
    const all = texts(svg).map((t) => t.text);
    expect(all).toContain(DEFAULT_CHART_TITLE);
    expect(all).toContain('共 3 次练习 · 最近 78 分 · 最高 78 分');
    for (const d of DIMENSIONS) expect(all).toContain(d.name);
    for (const v of ['7.2 / 10', '6.4 / 10', '5.8 / 10', '8.1 / 10', '7.5 / 10']) expect(all).toContain(v);
    for (const t of ['11-20', '11-24', '11-28', '42', '51.5', '78']) expect(all).toContain(t);
    expect(all).not.toContain('暂无练习记录');
    expect(all).not.toContain('暂无评分数据');
  });

  it('draws the 中 and 好 band lines at their thresholds on the 0..100 axis', () => {
    const svg = progressChartSvg(SAMPLE);
    const all = texts(svg);
    // The y axis labels fix the scale: "0" at the bottom of the plot, "100" at the top.
    const y0 = all.find((t) => t.text === '0')!.y;
    const y100 = all.find((t) => t.text === '100')!.y;
    expect(y0).toBeGreaterThan(y100);
    const dashed = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"[^>]*stroke-dasharray/g)].map((m) => m.slice(1).map(Number));
    for (const [name, floor] of [['中', BAND_FLOORS.fair], ['好', BAND_FLOORS.good]] as const) {
      const expected = y0 + ((y100 - y0) * floor) / 100;
      const line = dashed.find(([, ya, , yb]) => ya === yb && Math.abs(ya - expected) <= 1);
      expect(line, `dashed line for ${name} at y≈${expected}`).toBeDefined();
      expect(line![2] - line![0]).toBeGreaterThan(300); // spans the plot
      // Its label: the band's name over the threshold, centred on the line at its right end.
      for (const label of [name, String(floor)]) {
        expect(all.some((t) => t.text === label && Math.abs(t.y - expected) <= 10 && t.x > line![2])).toBe(true);
      }
    }
  });

  it('escapes markup and drops XML-illegal characters in every user-supplied string', async () => {
    const data: ProgressChartData = {
      title: 'A<b>&"c\'\u0001',
      dimensions: [{ name: '<i>逻辑</i>', score: 5, max: 10 }, { name: '{a|b}', score: 4, max: 10 }, { name: '言语', score: 3, max: 10 }],
      trend: [{ label: 'x<y&z', total: 50 }],
    };
    const svg = progressChartSvg(data);
    expect(svg).toContain('A&lt;b&gt;&amp;&quot;c&#39;');
    expect(svg).toContain('&lt;i&gt;逻辑&lt;/i&gt;');
    expect(svg).toContain('x&lt;y&amp;z');
    expect(svg).toContain('>{a|b}<'); // shown literally, not parsed as echarts rich text
    expect(svg).not.toContain('<i>');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('\u0001');
    // The document stays well-formed: resvg parses and renders it.
    expect(pngSize(await renderProgressChart(data))).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  it('shows placeholders with no data, and a labelled point for a single attempt', () => {
    const empty = texts(progressChartSvg({ dimensions: [], trend: [] })).map((t) => t.text);
    expect(empty).toContain('暂无练习记录');
    expect(empty).toContain('暂无评分数据');
    expect(empty).toContain('完成一次练习后即可查看进度');

    const one = texts(progressChartSvg({ dimensions: DIMENSIONS, trend: [{ label: '第1次', total: 58 }] })).map((t) => t.text);
    expect(one).toContain('第1次');
    expect(one).toContain('58');
    expect(one).not.toContain('暂无练习记录');
  });

  it('thins the labels of 50 attempts so they do not overlap, and always labels the latest', () => {
    const trend = manyAttempts(50);
    const all = texts(progressChartSvg({ dimensions: DIMENSIONS, trend }));
    const xLabels = all.filter((t) => /^第\d+次$/.test(t.text)).sort((a, b) => a.x - b.x);
    expect(xLabels.length).toBeGreaterThan(3);
    expect(xLabels.length).toBeLessThan(trend.length);
    expect(xLabels.at(-1)!.text).toBe('第50次');
    const widest = Math.max(...xLabels.map((l) => l.text.length * 12)); // 12px font, ≤ 1em a character
    for (let i = 1; i < xLabels.length; i++) expect(xLabels[i].x - xLabels[i - 1].x).toBeGreaterThan(widest);

    const values = new Set(trend.map((t) => String(Math.round(t.total * 10) / 10)));
    const valueLabels = all.filter((t) => values.has(t.text) && t.x > 500);
    expect(valueLabels.length).toBeGreaterThan(3);
    expect(valueLabels.length).toBeLessThanOrEqual(12);
    expect(valueLabels.map((t) => t.text)).toContain('54.7'); // the latest total
  });

  it('cuts very long labels to fit, and clamps out-of-range numbers', () => {
    const long = '言语表达与现场应变能力以及仪态仪表综合表现';
    const svg = progressChartSvg({
      dimensions: [...DIMENSIONS.slice(0, 4), { name: long, score: Number.NaN, max: 10 }],
      trend: [{ label: '2024-11-28 晚间模拟练习第二轮', total: 130 }, { label: 'b', total: -5 }],
    });
    const all = texts(svg);
    expect(svg).not.toContain(long);
    const cut = all.find((t) => t.text.startsWith('言语表达与') && t.text.endsWith('…'))!;
    expect(cut).toBeDefined();
    // It stays in the left half (14px font, ≤ 1em a character, drawn rightwards from x).
    expect(cut.x + [...cut.text].length * 14).toBeLessThanOrEqual(500);
    expect(all.some((t) => t.text.startsWith('2024-11-2') && t.text.endsWith('…'))).toBe(true);
    expect(svg).not.toContain('NaN');
    expect(all.map((t) => t.text)).toContain('0 / 10'); // a NaN score counts as 0
    expect(all.map((t) => t.text)).toContain('共 2 次练习 · 最近 0 分 · 最高 100 分');
  });

  it('sets the bundled font on every text', () => {
    const styles = texts(progressChartSvg({ dimensions: [], trend: [] })).map((t) => t.style);
    expect(styles.length).toBeGreaterThan(5);
    for (const s of styles) expect(s).toContain(`font-family:${CHART_FONT_FAMILY}`);
  });
});

describe('renderProgressChart', () => {
  it('renders 0, 1, 3 and 50 attempts as PNGs of the chart size', async () => {
    for (const trend of [[], manyAttempts(1), SAMPLE.trend, manyAttempts(50)]) {
      const png = await renderProgressChart({ dimensions: DIMENSIONS, trend });
      expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    }
  });
});

describe('Chinese glyphs', () => {
  it('uses a font file shipped in node_modules, never system fonts', () => {
    expect(chartFontPath()).toMatch(/@embedpdf[\\/]fonts-sc[\\/]fonts[\\/]NotoSansHans-Regular\.otf$/);
    expect(chartRenderOptions().font?.loadSystemFonts).toBe(false);
  });

  it('draws real glyphs for 面试 with the bundled font (and nothing without it)', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120"><text x="10" y="95" font-size="96" font-family="${CHART_FONT_FAMILY}">面试</text></svg>`;
    const box = { x0: 0, y0: 0, x1: 240, y1: 120 };
    expect(darkPixels(new Resvg(svg, NO_FONTS).render(), box)).toBe(0); // resvg draws nothing for missing glyphs
    expect(darkPixels(new Resvg(svg, chartRenderOptions()).render(), box)).toBeGreaterThan(2000); // two 96px glyphs
  });

  it('inks the chart title and the radar labels in the PNG itself', () => {
    const svg = progressChartSvg(SAMPLE);
    const withFont = new Resvg(svg, chartRenderOptions()).render();
    const without = new Resvg(svg, NO_FONTS).render();
    const title = { x0: 380, y0: 12, x1: 620, y1: 48 };
    expect(darkPixels(without, title)).toBe(0);
    expect(darkPixels(withFont, title)).toBeGreaterThan(500);
    // 审题立意 sits above the radar's top spoke.
    const topName = texts(svg).find((t) => t.text === '审题立意')!;
    const box = { x0: Math.round(topName.x - 30), y0: Math.round(topName.y - 12), x1: Math.round(topName.x + 30), y1: Math.round(topName.y + 12) };
    expect(darkPixels(without, box)).toBe(0);
    expect(darkPixels(withFont, box)).toBeGreaterThan(100);
  });
});
