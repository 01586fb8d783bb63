/**
 * Drill-progress chart: a radar of the (average) dimension scores on the left
 * and a line chart of attempt totals on the right, rendered as one PNG.
 *
 * The SVG is built as a string (pure, testable) and rasterised with
 * @resvg/resvg-js. Chinese text uses Noto Sans SC shipped inside the npm
 * package @embedpdf/fonts-sc, so no system font is needed and the chart renders
 * identically on any machine, fully offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
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
/** Band thresholds on the 0..100 total scale. */
export const BAND_MID = BAND_FLOORS.fair;
export const BAND_GOOD = BAND_FLOORS.good;

const FONT_PACKAGE = '@embedpdf/fonts-sc';
const FONT_REGULAR = 'NotoSansHans-Regular.otf';
const FONT_BOLD = 'NotoSansHans-Bold.otf';

const COLORS = {
  text: '#1f2937',
  muted: '#6b7280',
  grid: '#e5e7eb',
  axis: '#9ca3af',
  radar: '#3b6fd8',
  radarFill: '#3b6fd8',
  line: '#0f9488',
  mid: '#e8890c',
  good: '#2f9e44',
  bandLow: '#fdf2f2',
  bandMid: '#fff8eb',
  bandGood: '#eefaf0',
} as const;

// ---------------------------------------------------------------------------
// Font resolution
// ---------------------------------------------------------------------------

let fontDirCache: string | undefined;

/** Directory `fonts/` of @embedpdf/fonts-sc, resolved through node_modules. */
function fontDir(): string {
  if (fontDirCache) return fontDirCache;
  const require = createRequire(import.meta.url);
  let pkgRoot: string | undefined;
  try {
    // The package's "exports" map does not expose package.json today, but try
    // it first in case a later version does.
    pkgRoot = dirname(require.resolve(`${FONT_PACKAGE}/package.json`));
  } catch {
    // Resolve the main entry (dist/index.cjs) and walk up to the package root.
    let dir = dirname(require.resolve(FONT_PACKAGE));
    for (;;) {
      const pj = join(dir, 'package.json');
      if (existsSync(pj)) {
        const parsed = JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown };
        if (parsed.name === FONT_PACKAGE) {
          pkgRoot = dir;
          break;
        }
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  if (!pkgRoot) throw new Error(`cannot locate the ${FONT_PACKAGE} package root`);
  fontDirCache = join(pkgRoot, 'fonts');
  return fontDirCache;
}

/** Absolute path of the Simplified Chinese font used for the chart. */
export function chartFontPath(): string {
  const p = join(fontDir(), FONT_REGULAR);
  if (!existsSync(p)) throw new Error(`chart font missing: ${p}`);
  return p;
}

/** resvg options: only the bundled font, never system fonts. */
export function chartRenderOptions(): ResvgRenderOptions {
  const files = [chartFontPath()];
  const bold = join(fontDir(), FONT_BOLD);
  if (existsSync(bold)) files.push(bold); // used by the title (font-weight 700)
  return {
    fitTo: { mode: 'original' },
    background: '#ffffff',
    font: {
      fontFiles: files,
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  };
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Escape text for use in SVG element content and attribute values. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Remove characters that are illegal in XML 1.0 (control chars, lone surrogates). */
function cleanText(s: string): string {
  return String(s ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}

function finite(n: number, fallback = 0): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/** Round for coordinates: keeps the SVG compact. */
function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Score display: integers without decimals, otherwise one decimal. */
function fmtScore(n: number): string {
  const v = Math.round(n * 10) / 10;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function isWide(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x20000
  );
}

/** Approximate rendered width in px (CJK ≈ 1em, Latin ≈ 0.58em). */
export function textWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const ch of s) w += isWide(ch) ? 1 : ch === ' ' ? 0.3 : 0.58;
  return w * fontSize;
}

/** Truncate to at most maxWidth px, appending an ellipsis when cut. */
function ellipsize(s: string, fontSize: number, maxWidth: number): string {
  if (textWidth(s, fontSize) <= maxWidth) return s;
  const budget = maxWidth - textWidth('…', fontSize);
  let out = '';
  for (const ch of s) {
    if (textWidth(out + ch, fontSize) > budget) break;
    out += ch;
  }
  return out + '…';
}

/** Split into at most two lines of ≤ maxWidth px; the second is ellipsized. */
function wrap2(s: string, fontSize: number, maxWidth: number): string[] {
  if (textWidth(s, fontSize) <= maxWidth) return [s];
  const chars = [...s];
  // Prefer a break at a space or before a bracket if one is near the middle.
  let cut = -1;
  let best = Infinity;
  chars.forEach((ch, i) => {
    if (i === 0) return;
    if (ch === ' ' || ch === '(' || ch === '（') {
      const head = chars.slice(0, i).join('');
      const w = textWidth(head, fontSize);
      if (w <= maxWidth && Math.abs(w - textWidth(s, fontSize) / 2) < best) {
        best = Math.abs(w - textWidth(s, fontSize) / 2);
        cut = i;
      }
    }
  });
  if (cut < 0) {
    // Balanced split by width.
    const half = Math.min(maxWidth, textWidth(s, fontSize) / 2 + fontSize / 2);
    let acc = '';
    cut = 0;
    for (const ch of chars) {
      if (textWidth(acc + ch, fontSize) > half) break;
      acc += ch;
      cut++;
    }
    cut = Math.max(1, cut);
  }
  const first = chars.slice(0, cut).join('').trim();
  const rest = chars.slice(cut).join('').trim();
  if (!rest) return [first];
  let second = ellipsize(rest, fontSize, maxWidth);
  // Don't leave a dangling opening bracket right before the ellipsis.
  second = second.replace(/[\s(（\[【《]+…$/u, '…');
  return [first, second];
}

interface TextOpts {
  size: number;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
  weight?: number;
  baseline?: 'middle' | 'auto';
  /** Draw a white outline behind the glyphs so text stays legible over lines. */
  halo?: boolean;
}

function text(x: number, y: number, content: string, o: TextOpts): string {
  const attrs = [
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${o.size}"`,
    `fill="${o.fill ?? COLORS.text}"`,
  ];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.weight) attrs.push(`font-weight="${o.weight}"`);
  if (o.baseline === 'middle') attrs.push('dominant-baseline="central"');
  if (o.halo) attrs.push('stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"');
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

// ---------------------------------------------------------------------------
// Radar
// ---------------------------------------------------------------------------

function radarSvg(dims: ProgressChartData['dimensions']): string {
  const cx = 250;
  const cy = 300;
  const R = 135;
  const out: string[] = [];
  out.push(text(cx, 92, '各维度平均得分', { size: 16, anchor: 'middle', fill: COLORS.muted }));

  const items = dims.map((d) => {
    const max = finite(d.max, 10) > 0 ? finite(d.max, 10) : 10;
    const score = clamp(finite(d.score), 0, max);
    return { name: cleanText(d.name) || '—', score, max };
  });
  if (items.length === 0) {
    out.push(text(cx, cy, '暂无评分数据', { size: 18, anchor: 'middle', fill: COLORS.muted, baseline: 'middle' }));
    return out.join('');
  }

  const n = items.length;
  const angle = (i: number): number => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const pt = (i: number, frac: number): [number, number] => [
    cx + Math.cos(angle(i)) * R * frac,
    cy + Math.sin(angle(i)) * R * frac,
  ];

  // Grid rings (20/40/60/80/100 % of max → 2/4/6/8/10 for max 10).
  const steps = [0.2, 0.4, 0.6, 0.8, 1];
  for (const f of steps) {
    if (n >= 3) {
      const pts = items.map((_, i) => pt(i, f).map(r).join(',')).join(' ');
      out.push(`<polygon points="${pts}" fill="none" stroke="${f === 1 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`);
    } else {
      out.push(`<circle cx="${cx}" cy="${cy}" r="${r(R * f)}" fill="none" stroke="${f === 1 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`);
    }
  }
  // Spokes.
  items.forEach((_, i) => {
    const [x, y] = pt(i, 1);
    out.push(`<line x1="${cx}" y1="${cy}" x2="${r(x)}" y2="${r(y)}" stroke="${COLORS.grid}" stroke-width="1"/>`);
  });
  // Ring value labels along the first (top) spoke, when all axes share one max.
  const sameMax = items.every((it) => it.max === items[0].max);
  for (const f of steps) {
    const label = sameMax ? fmtScore(items[0].max * f) : `${Math.round(f * 100)}%`;
    const [x, y] = pt(0, f);
    out.push(text(x + 8, y - 6, label, { size: 10, fill: COLORS.muted, baseline: 'middle', halo: true }));
  }

  // Data polygon.
  const dataPts = items.map((it, i) => pt(i, it.score / it.max));
  out.push(
    `<polygon points="${dataPts.map((p) => p.map(r).join(',')).join(' ')}" fill="${COLORS.radarFill}" fill-opacity="0.22" stroke="${COLORS.radar}" stroke-width="2.5" stroke-linejoin="round"/>`,
  );
  for (const [x, y] of dataPts) {
    out.push(`<circle cx="${r(x)}" cy="${r(y)}" r="4" fill="#fff" stroke="${COLORS.radar}" stroke-width="2"/>`);
  }

  // Axis labels: name (wrapped to ≤ 2 lines) plus the value.
  const nameSize = 14;
  const lineH = 18;
  items.forEach((it, i) => {
    const a = angle(i);
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    const [lx, ly] = [cx + cos * (R + 16), cy + sin * (R + 16)];
    const anchor: TextOpts['anchor'] = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
    // Room available horizontally for this label inside the left panel (0..500).
    const room = anchor === 'middle' ? 200 : anchor === 'start' ? 490 - lx : lx - 10;
    const lines = wrap2(it.name, nameSize, Math.max(56, Math.min(room, 130)));
    const block = [...lines.map((l) => ({ t: l, value: false })), { t: `${fmtScore(it.score)} / ${fmtScore(it.max)}`, value: true }];
    const h = block.length * lineH;
    // Vertical placement of the block relative to the label point.
    let top: number;
    if (sin < -0.5) top = ly - h; // top axis: block above
    else if (sin > 0.5) top = ly; // bottom axes: block below
    else top = ly - h / 2; // sides: centred
    block.forEach((b, j) => {
      const y = top + j * lineH + lineH / 2;
      out.push(
        b.value
          ? text(lx, y, b.t, { size: 13, anchor, fill: COLORS.radar, weight: 700, baseline: 'middle' })
          : text(lx, y, b.t, { size: nameSize, anchor, baseline: 'middle' }),
      );
    });
  });
  return out.join('');
}

// ---------------------------------------------------------------------------
// Trend line
// ---------------------------------------------------------------------------

function trendSvg(trend: ProgressChartData['trend']): string {
  const left = 575;
  const right = 945;
  const top = 125;
  const bottom = 435;
  const yOf = (v: number): number => bottom - (clamp(v, 0, 100) / 100) * (bottom - top);
  const out: string[] = [];
  out.push(text((left + right) / 2, 92, '总分趋势', { size: 16, anchor: 'middle', fill: COLORS.muted }));

  // Background bands.
  out.push(`<rect x="${left}" y="${r(yOf(BAND_MID))}" width="${right - left}" height="${r(yOf(0) - yOf(BAND_MID))}" fill="${COLORS.bandLow}"/>`);
  out.push(`<rect x="${left}" y="${r(yOf(BAND_GOOD))}" width="${right - left}" height="${r(yOf(BAND_MID) - yOf(BAND_GOOD))}" fill="${COLORS.bandMid}"/>`);
  out.push(`<rect x="${left}" y="${r(yOf(100))}" width="${right - left}" height="${r(yOf(BAND_GOOD) - yOf(100))}" fill="${COLORS.bandGood}"/>`);

  // Y grid + labels.
  for (let v = 0; v <= 100; v += 20) {
    const y = yOf(v);
    out.push(`<line x1="${left}" y1="${r(y)}" x2="${right}" y2="${r(y)}" stroke="${v === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`);
    out.push(text(left - 8, y, String(v), { size: 11, anchor: 'end', fill: COLORS.muted, baseline: 'middle' }));
  }
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="${COLORS.axis}" stroke-width="1"/>`);

  // Band thresholds.
  for (const [v, label, color] of [
    [BAND_GOOD, '好', COLORS.good],
    [BAND_MID, '中', COLORS.mid],
  ] as const) {
    const y = yOf(v);
    out.push(`<line x1="${left}" y1="${r(y)}" x2="${right}" y2="${r(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(text(right + 6, y - 8, label, { size: 13, fill: color, weight: 700, baseline: 'middle' }));
    out.push(text(right + 6, y + 8, String(v), { size: 10, fill: color, baseline: 'middle' }));
  }

  const pts = trend.map((t) => ({ label: cleanText(t.label), total: clamp(finite(t.total), 0, 100) }));
  const n = pts.length;
  if (n === 0) {
    const cyMid = (top + bottom) / 2;
    out.push(`<rect x="${r((left + right) / 2 - 90)}" y="${r(cyMid - 24)}" width="180" height="48" rx="10" fill="#ffffff" stroke="${COLORS.grid}"/>`);
    out.push(text((left + right) / 2, cyMid, '暂无练习记录', { size: 20, anchor: 'middle', fill: COLORS.muted, baseline: 'middle' }));
    return out.join('');
  }

  const pad = n === 1 ? 0 : 18;
  const xOf = (i: number): number => (n === 1 ? (left + right) / 2 : left + pad + (i * (right - left - 2 * pad)) / (n - 1));
  const spacing = n === 1 ? right - left : (right - left - 2 * pad) / (n - 1);

  // X labels: truncate, then thin so neighbours never overlap.
  const xSize = 11;
  const maxLabelW = 72;
  const xLabels = pts.map((p) => ellipsize(p.label, xSize, maxLabelW));
  const widest = Math.max(...xLabels.map((l) => textWidth(l, xSize)), 1);
  const xStep = Math.max(1, Math.ceil((widest + 8) / spacing));
  // Value labels: ~2 digits wide; at most ~12 of them so the line stays readable.
  const vStep = Math.max(1, Math.ceil(26 / spacing), Math.ceil(n / 12));
  // Thinning is anchored at the latest attempt so it is always labelled.
  const shown = (i: number, step: number): boolean => (n - 1 - i) % step === 0;

  xLabels.forEach((l, i) => {
    if (!shown(i, xStep)) return;
    out.push(`<line x1="${r(xOf(i))}" y1="${bottom}" x2="${r(xOf(i))}" y2="${bottom + 4}" stroke="${COLORS.axis}" stroke-width="1"/>`);
    out.push(text(xOf(i), bottom + 18, l, { size: xSize, anchor: 'middle', fill: COLORS.muted }));
  });

  if (n > 1) {
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(xOf(i))} ${r(yOf(p.total))}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${COLORS.line}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`);
  }
  const dense = n > 25;
  const dotR = dense ? 2.5 : 4;
  pts.forEach((p, i) => {
    const x = xOf(i);
    const y = yOf(p.total);
    const color = p.total >= BAND_GOOD ? COLORS.good : p.total >= BAND_MID ? COLORS.mid : '#d64545';
    out.push(`<circle cx="${r(x)}" cy="${r(y)}" r="${dotR}" fill="${color}"${dense ? '' : ' stroke="#fff" stroke-width="1.2"'}/>`);
    if (shown(i, vStep)) {
      // Label above peaks and below valleys (so it sits beside the line, not on
      // it), staying inside the plot area.
      const prev = pts[i - 1]?.total ?? p.total;
      const next = pts[i + 1]?.total ?? p.total;
      let above = p.total >= (prev + next) / 2;
      // (Above may overflow the plot top a little: there is free space there.)
      if (!above && y + 14 > bottom - 2) above = true;
      out.push(text(x, above ? y - 12 : y + 14, fmtScore(p.total), { size: 12, anchor: 'middle', weight: 700, fill: COLORS.text, baseline: 'middle', halo: true }));
    }
  });
  return out.join('');
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** Build the complete chart as an SVG document (pure; no I/O). */
export function progressChartSvg(data: ProgressChartData): string {
  const title = ellipsize(cleanText(data.title ?? '') || DEFAULT_CHART_TITLE, 24, CHART_WIDTH - 80);
  const trend = data.trend ?? [];
  const totals = trend.map((t) => clamp(finite(t.total), 0, 100));
  const subtitle =
    totals.length === 0
      ? '完成一次练习后即可查看进度'
      : `共 ${totals.length} 次练习 · 最近 ${fmtScore(totals[totals.length - 1])} 分 · 最高 ${fmtScore(Math.max(...totals))} 分`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${CHART_FONT_FAMILY}, sans-serif">`,
    `<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    text(CHART_WIDTH / 2, 38, title, { size: 24, anchor: 'middle', weight: 700 }),
    text(CHART_WIDTH / 2, 62, subtitle, { size: 13, anchor: 'middle', fill: COLORS.muted }),
    `<line x1="500" y1="86" x2="500" y2="490" stroke="${COLORS.grid}" stroke-width="1"/>`,
    radarSvg(data.dimensions ?? []),
    trendSvg(trend),
    '</svg>',
  ].join('');
}

/** Rasterise an SVG with the bundled Chinese font (no system fonts). */
export async function rasterizeSvg(svg: string): Promise<Buffer> {
  const img = await renderAsync(svg, chartRenderOptions());
  return img.asPng();
}

/** Render the progress chart as PNG bytes (~1000×520). */
export async function renderProgressChart(data: ProgressChartData): Promise<Buffer> {
  return rasterizeSvg(progressChartSvg(data));
}
