// Plain-text tables of the evaluation: dev and test side by side, system vs baseline, per kind.
import type { Figures, KindReport, SplitReport } from './evaluate.ts';

const KIND_LABELS: Record<string, string> = {
  all: '全部 all',
  plain: '原文措辞 plain',
  short: '短问题 short',
  colloquial: '口语 colloquial',
  preamble: '开场白 preamble',
  comparison: '多篇比较 comparison',
  typo: '错别字 typo',
  traditional: '繁体 traditional',
  english: '英文 english',
  uncovered: '未涉及 uncovered',
  offtopic: '无关 offtopic',
  abbreviation: '缩略语 abbreviation',
  'abbreviation-missing': '缩略语未展开 abbreviation-missing',
  'figure-in': '有数字 figure-in',
  'figure-out': '无数字 figure-out',
  'preamble-number': '开场白带数字 preamble-number',
  yesno: '是非问 yesno',
  siblings: '并列项 siblings',
  congress: '会议届次 congress',
};

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const pair = (a: string, b: string): string => `${a}/${b}`;

function cell(report: KindReport | undefined, pick: (f: Figures) => string, withBaseline = true): string {
  if (!report) return '—';
  return withBaseline ? pair(pick(report.system), pick(report.baseline)) : pick(report.system);
}

function kindOrder(reports: SplitReport[]): string[] {
  const seen = new Set<string>();
  for (const kind of Object.keys(KIND_LABELS)) if (reports.some((r) => r.kinds.some((k) => k.kind === kind))) seen.add(kind);
  for (const r of reports) for (const k of r.kinds) seen.add(k.kind);
  return ['all', ...[...seen].filter((k) => k !== 'all')];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? padEnd(c, widths[i]) : padStart(c, widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

// CJK characters take two columns in a terminal
function width(text: string): number {
  let w = 0;
  for (const c of text) w += /[\u1100-\uffff]/u.test(c) ? 2 : 1;
  return w;
}
const padEnd = (t: string, n: number): string => t + ' '.repeat(Math.max(0, n - width(t)));
const padStart = (t: string, n: number): string => ' '.repeat(Math.max(0, n - width(t))) + t;

export function formatReports(reports: SplitReport[]): string {
  const kinds = kindOrder(reports);
  const byKind = (r: SplitReport, kind: string): KindReport | undefined => (kind === 'all' ? r.overall : r.kinds.find((k) => k.kind === kind));
  const retrieval = table(
    ['kind', ...reports.flatMap((r) => [`${r.split} n`, `${r.split} R@1`, `${r.split} R@5`, `${r.split} MRR`])],
    kinds.map((kind) => [
      KIND_LABELS[kind] ?? kind,
      ...reports.flatMap((r) => {
        const k = byKind(r, kind);
        if (!k || k.system.inScope === 0) return ['—', '—', '—', '—'];
        return [
          String(k.system.inScope),
          cell(k, (f) => pct(f.recallAt1)),
          cell(k, (f) => pct(f.recallAt5)),
          cell(k, (f) => f.mrr.toFixed(2)),
        ];
      }),
    ]),
  );
  const answers = table(
    ['kind', ...reports.flatMap((r) => [`${r.split} 答案含证据`, `${r.split} 误拒`, `${r.split} 部分`, `${r.split} 超范围拒答`])],
    kinds.map((kind) => [
      KIND_LABELS[kind] ?? kind,
      ...reports.flatMap((r) => {
        const k = byKind(r, kind);
        if (!k) return ['—', '—', '—', '—'];
        const s = k.system;
        return [
          s.inScope ? cell(k, (f) => pct(f.answerHasEvidence)) : '—',
          s.inScope ? `${s.falseRefusals}/${s.inScope}` : '—',
          s.inScope ? String(s.partial) : '—',
          s.outOfScope ? `${pct(s.outOfScopeRefused)} (${Math.round(s.outOfScopeRefused * s.outOfScope)}/${s.outOfScope})` : '—',
        ];
      }),
    ]),
  );
  const notes = reports.flatMap((r) => [
    ...(r.misses.length ? [`${r.split} 前 5 未命中:${r.misses.map((m) => `${m.id}(${m.kind})`).join(' ')}`] : []),
    ...(r.falseRefusalIds.length ? [`${r.split} 误拒:${r.falseRefusalIds.join(' ')}`] : []),
    ...(r.acceptedOutOfScope.length ? [`${r.split} 未拒答的超范围问题:${r.acceptedOutOfScope.join(' ')}`] : []),
    ...(r.unfaithfulQuotes.length ? [`${r.split} 非逐字引用:${r.unfaithfulQuotes.join(' ')}`] : []),
  ]);
  return [
    '检索 retrieval(系统/基线 system/baseline)',
    retrieval,
    '',
    '回答 answers(答案含证据:系统/基线;基线从不拒答)',
    answers,
    '',
    '基线 = MiniSearch 默认 BM25+,字二元组,500/50 字切块,取第一条作答。',
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}
