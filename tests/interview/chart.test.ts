import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  DEFAULT_CHART_TITLE,
  chartFontPath,
  chartRenderOptions,
  escapeXml,
  progressChartSvg,
  renderProgressChart,
  type ProgressChartData,
} from '../../src/interview/chart.ts';

const DIMENSIONS: ProgressChartData['dimensions'] = [
  { name: '审题立意', score: 7.2, max: 10 },
  { name: '综合分析能力', score: 6.4, max: 10 },
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

/** Width/height from the IHDR chunk, after checking the PNG signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Count dark pixels (RGBA, opaque-ish and luminance < 128) inside a box. */
function darkPixels(
  img: { pixels: Buffer; width: number },
  box: { x0: number; y0: number; x1: number; y1: number },
): number {
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

const NO_FONTS = {
  fitTo: { mode: 'original' as const },
  background: '#ffffff',
  font: { fontFiles: [], loadSystemFonts: false },
};

describe('progressChartSvg', () => {
  it('contains the title, dimension names, values, bands and trend labels', () => {
    const svg = progressChartSvg(SAMPLE);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`);
    expect(svg).toContain(DEFAULT_CHART_TITLE);
    for (const d of DIMENSIONS) expect(svg).toContain(d.name);
    expect(svg).toContain('7.2 / 10');
    expect(svg).toContain('>中<');
    expect(svg).toContain('>好<');
    expect(svg).toContain('stroke-dasharray');
    for (const t of ['11-20', '11-24', '11-28', '>42<', '>51.5<', '>78<']) expect(svg).toContain(t);
    expect(svg).not.toContain('暂无练习记录');
  });

  it('escapes markup in every user-supplied string', () => {
    const svg = progressChartSvg({
      title: 'A<b>&"c\'',
      dimensions: [{ name: '<script>逻辑</script>', score: 5, max: 10 }],
      trend: [{ label: 'x<y&z', total: 50 }],
    });
    expect(svg).toContain('A&lt;b&gt;&amp;&quot;c&apos;');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('x&lt;y&amp;z');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('shows a friendly placeholder with no attempts and a single point with one', () => {
    const empty = progressChartSvg({ dimensions: DIMENSIONS, trend: [] });
    expect(empty).toContain('暂无练习记录');
    expect(empty).not.toContain('<path');

    const one = progressChartSvg({ dimensions: DIMENSIONS, trend: [{ label: '第1次', total: 58 }] });
    expect(one).toContain('第1次');
    expect(one).toContain('>58<');
    expect(one).not.toContain('<path'); // no line for a single point
  });

  it('thins labels for 50 points but always labels the latest attempt', () => {
    const trend = Array.from({ length: 50 }, (_, i) => ({ label: `第${i + 1}次`, total: 40 + (i % 7) * 5 + i * 0.3 }));
    const svg = progressChartSvg({ dimensions: DIMENSIONS, trend });
    const xLabels = trend.filter((t) => svg.includes(`>${t.label}<`));
    expect(xLabels.length).toBeGreaterThan(3);
    expect(xLabels.length).toBeLessThanOrEqual(12);
    expect(svg).toContain('>第50次<');
    expect(svg.match(/<circle/g)!.length).toBeGreaterThanOrEqual(50); // every point drawn
  });

  it('shortens very long labels and tolerates out-of-range numbers', () => {
    const long = '言语表达与现场应变能力以及仪态仪表综合表现';
    const svg = progressChartSvg({
      dimensions: [...DIMENSIONS.slice(0, 4), { name: long, score: Number.NaN, max: 10 }],
      trend: [{ label: '2024-11-28 晚间模拟练习第二轮', total: 130 }],
    });
    expect(svg).not.toContain(long);
    expect(svg).toContain('…');
    expect(svg).not.toContain('NaN');
    expect(svg).toContain('>100<'); // clamped to the 0..100 scale
  });
});

describe('renderProgressChart', () => {
  it('produces a PNG of the expected size', async () => {
    const png = await renderProgressChart(SAMPLE);
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  it('renders edge cases (0, 1, 50 attempts) without throwing', async () => {
    for (const n of [0, 1, 50]) {
      const trend = Array.from({ length: n }, (_, i) => ({ label: `第${i + 1}次`, total: (i * 37) % 101 }));
      const png = await renderProgressChart({ dimensions: DIMENSIONS, trend, title: `共 ${n} 次` });
      expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    }
  });
});

describe('Chinese glyphs', () => {
  it('uses a font file shipped in node_modules', () => {
    expect(chartFontPath()).toMatch(/@embedpdf[\\/]fonts-sc[\\/]fonts[\\/]NotoSansHans-Regular\.otf$/);
    expect(chartRenderOptions().font?.loadSystemFonts).toBe(false);
  });

  it('draws real glyphs for 面试 with the bundled font (and nothing without it)', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120">' +
      '<text x="10" y="95" font-size="96">面试</text></svg>';
    const box = { x0: 0, y0: 0, x1: 240, y1: 120 };
    const withFont = darkPixels(new Resvg(svg, chartRenderOptions()).render(), box);
    const without = darkPixels(new Resvg(svg, NO_FONTS).render(), box);
    expect(without).toBe(0); // resvg draws nothing for missing glyphs
    expect(withFont).toBeGreaterThan(2000); // two 96px CJK glyphs: thousands of ink pixels
  });

  it('renders the chart title in the PNG itself', () => {
    const svg = progressChartSvg(SAMPLE);
    const titleBox = { x0: 380, y0: 12, x1: 620, y1: 48 };
    const inked = darkPixels(new Resvg(svg, chartRenderOptions()).render(), titleBox);
    const blank = darkPixels(new Resvg(svg, NO_FONTS).render(), titleBox);
    expect(blank).toBe(0);
    expect(inked).toBeGreaterThan(500);
  });
});
