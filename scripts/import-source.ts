// One-off importer: splits the scraped collection in ../shared/knowledge-source into one
// Markdown file per essay under knowledge/. Re-run it to regenerate; the output is committed.
//   npx tsx scripts/import-source.ts [source-file] [out-dir]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { toParagraphs } from '../src/knowledge/clean.ts';

interface EssaySpec {
  pian: number;
  id: string;
  title: string;
  authors?: string[];
  institution?: string;
  publication?: string;
  issue?: string;
  pages?: string;
  keywords?: string[];
  note?: string;
  /** 1-based source line numbers (inclusive) that hold the essay's text */
  lines: [number, number];
  /** source lines to leave out (titles moved to front matter, unpunctuated duplicates) */
  skipLines?: number[];
  /** exact layout fixes [from, to]; each `from` must occur exactly once */
  edits?: Array<[string, string]>;
  references?: string;
}

const br = (before: string): [string, string] => [before, `\n\n${before}`];
const heading = (text: string, rest = '', level = 2): [string, string] => [
  text + rest,
  `\n\n${'#'.repeat(level)} ${text}\n\n${rest}`,
];

const ESSAYS: EssaySpec[] = [
  {
    pian: 1, id: 'p01', title: '基层治理体制机制创新的思考与实践',
    authors: ['李万钧'], institution: '北京市民政局党委', publication: '理论视野', issue: '2017年第9期', pages: '54-60',
    keywords: ['基层社会治理', '现状', '问题', '对策建议'],
    note: '原文仅收录摘要。', lines: [6, 6],
  },
  {
    pian: 2, id: 'p02', title: '党建引领基层社会治理创新实践',
    note: '网站汇编的两篇范文(《党建引领基层社会治理创新实践》《党建引领基层社会治理的思考与建议》),未署作者;原文有几处缺段。',
    lines: [9, 29],
    edits: [
      ['党建引领基层社会治理创新实践优秀范文两篇基层治理体系是国家治理体系中最基础的部分,一个国家的基层治理能力不仅直接决定了基层治理的效率和效果,更代表了国家治理的成效和水平。', ''],
      ['党建引领基层社会治理创新实践篇一', '\n\n# 党建引领基层社会治理创新实践\n\n'],
      ['党建引领基层社会治理的思考与建议篇二', '\n\n# 党建引领基层社会治理的思考与建议\n\n'],
      heading('基层党建的四类作用', '总结对镇街'),
      heading('提高基层党组织的治理能力', '镇街、村居党组织是基层治理的核心'),
      // gaps in the scraped text: never join across them
      ['这包括三层含义,\n', '这包括三层含义,\n\n'],
    ],
  },
  {
    pian: 3, id: 'p03', title: '面试热点:基层社会治理创新机制',
    note: '面试备考材料,未署作者。', lines: [31, 37], skipLines: [31],
    edits: [
      heading('【热点背景】'), heading('【提出观点】'), heading('【综合分析】'),
      ['【参考对策】', '## 【参考对策】'],
    ],
  },
  {
    pian: 4, id: 'p04', title: '浅析甘肃省少数民族地区农村基层治理体制机制的创新',
    authors: ['王宝珍', '朱玉红'], publication: '新一代', issue: '2018年第16期',
    keywords: ['少数民族地区', '农村', '基层治理', '创新'],
    lines: [39, 46], skipLines: [39, 41, 42],
    references: '[1]郭献功.创新农村基层党建体制机制的若干思考[J].学习论坛,2011(3).[2]毕孟琴、姜中强.农村基层党建存在的问题及对策[J].政治,2010(11).[3]亓岩.推进基层社会治理体制机制创新研究[J].中国管理信息化,2016(3)[4]向德平、申可君.社区自治与基层社会治理模式的重构[J].甘肃社会科学,2013(2)',
    edits: [
      br('关键词:少数民族地区'),
      br('党的工作最坚实的力量支撑在基层'),
      heading('一、当前农村基层治理体制机制存在的问题'),
      br('(一)农村基层治理体制机制结构不健全。'),
      br('(二)农村基层治理的科学化水平不高。'),
      heading('二、农村基层治理体制机制存在问题的原因分析'),
      br('(二)农村民主法治基础薄弱。'),
      heading('三、农村基层治理体制机制创新的对策思路'),
      br('(二)进一步健全基层治理决策机制。'),
      br('(三)着力提升基层治理的文化维度。'),
    ],
  },
  {
    pian: 5, id: 'p05', title: '基层党建引领社区治理的创新实践与经验启示',
    authors: ['付玉红', '王秀梅'], publication: '求知', issue: '2019年第8期',
    lines: [51, 62],
  },
  {
    pian: 6, id: 'p06', title: '创新农村治理机制的实践与思考',
    note: '网站汇编的两篇范文:《完善乡村治理机制的思考与建议》与鹅公镇新村办关于农村基层党建的材料;原文两处序号“三、”重复,照录。',
    lines: [65, 96], skipLines: [65],
    edits: [
      ['完善乡村治理机制的思考与建议\n', '# 完善乡村治理机制的思考与建议\n\n'],
      ['才能更好地推动乡村治理的良性发展\n', '才能更好地推动乡村治理的良性发展\n\n'],
      ['鹅公镇新村办\n', '# 鹅公镇新村办\n\n'],
    ],
  },
  {
    pian: 7, id: 'p07', title: '基层社会治理创新的探索与实践',
    note: '未署作者;原文在第三部分中途截断。', lines: [100, 107],
    edits: [
      br('【关键词】'),
      heading('一、社会治理的含义和特点'),
      heading('(一)多元化的主体'),
      heading('(二)复合化的结构'),
      heading('(三)人本化的目标'),
      heading('二、基层社会治理中普遍存在的问题'),
      heading('(一)基层政府职能划分不清'),
      heading('(二)社会治理体系不够完善'),
      heading('(三)社会组织活力尚未激活'),
      heading('三、基层社会治理创新的探索与实践——以福建省邵武市“民生110”为例'),
    ],
  },
  {
    pian: 8, id: 'p08', title: '基层治理体制机制创新的思考与实践',
    authors: ['张青'], institution: '中共广东省委党校(广东行政学院)行政学教研部', publication: '社会治理', issue: '2017年第6期', pages: '74-80',
    keywords: ['社会治理模式', '地方政府创新实践', '社会组织形式', '社会利益格局', '党的执政基础', '基层社会治理', '社会结构'],
    note: '原文仅收录摘要,论文原题未给出,沿用汇编标题。', lines: [110, 110],
  },
  {
    pian: 9, id: 'p09', title: '调研报告:关于做实体制机制,推进改革创新的实践和思考',
    note: '未署作者与地区;原文在末尾截断。', lines: [113, 116],
    edits: [
      heading('一、近年来改革创新的做法和成效'),
      heading('围绕国家层面试点下“先手棋”。', '', 3),
      heading('围绕供给侧结构性改革打“主动仗”。', '', 3),
      heading('围绕政府自我革命啃“硬骨头”。', '', 3),
      heading('围绕激发双创活力推“组合拳”。', '', 3),
    ],
  },
  {
    pian: 10, id: 'p10', title: '农村基层治理能力现代化的探索与实践',
    note: '以成都市青白江区芦篙村、杏花村为例;未署作者。', lines: [119, 165], skipLines: [119],
    edits: [
      br('关键词:农村基层治理'),
      br('农村基层治理能力决定了未来农村的改革发展稳定。'),
      heading('一、治理现代化的要义:实现由管理到治理的转变'),
      heading('1.树立民主平等的基层治理理念'),
      heading('2.尊重群众主体地位,发挥基层自治组织作用'),
      heading('二、青白江农村基层治理的经验、做法和困境'),
      heading('1.芦篙村、杏花村基本情况'),
      br('(2)福洪镇杏花村地处龙泉山脉中段'),
      heading('2.形成行之有效的基层治理工作方法'),
      // the scrape moved the end of this heading onto the line before it
      ['有效处理。的成效及面临的困境\n3.基层治理\n', '有效处理。\n\n## 3.基层治理的成效及面临的困境\n\n'],
      heading('三、实现农村基层治理能力现代化的路径思考与探索'),
      heading('1.尊重群众主体地位,有效发挥自治组织作用'),
      heading('2.完善民主法治,强化基层治理保障机制'),
      heading('3.优化资源配置,营造农村民主管理生态'),
      br('(2)构建信息化服务平台。'),
    ],
  },
  {
    pian: 11, id: 'p11', title: '基层治理体制机制创新的思考与实践',
    authors: ['张青'], institution: '中共广东省委党校(广东行政学院)行政学教研部', publication: '社会治理', issue: '2017年第6期', pages: '74-80',
    keywords: ['社会治理模式', '地方政府创新实践', '社会组织形式', '社会利益格局', '党的执政基础', '基层社会治理', '社会结构'],
    note: '与篇八为同一篇论文的摘要,汇编中重复收录。', lines: [172, 172],
  },
];

function applyEdits(text: string, edits: Array<[string, string]>, id: string): string {
  let out = text;
  for (const [from, to] of edits) {
    const count = out.split(from).length - 1;
    if (count !== 1) throw new Error(`${id}: edit target found ${count} times: ${from.slice(0, 30)}`);
    out = out.replace(from, () => to);
  }
  return out;
}

export function buildEssayMarkdown(sourceLines: string[], spec: EssaySpec): string {
  const [first, last] = spec.lines;
  const raw = sourceLines
    .slice(first - 1, last)
    .filter((_line, index) => !(spec.skipLines ?? []).includes(first + index))
    .join('\n');
  const paragraphs = toParagraphs(applyEdits(raw, spec.edits ?? [], spec.id));
  const body = paragraphs
    .map((p) => (p.heading ? `${'#'.repeat(p.level ?? 2)} ${p.text}` : p.text))
    .join('\n\n');
  const meta: Record<string, unknown> = { id: spec.id, pian: spec.pian, title: spec.title };
  for (const key of ['authors', 'institution', 'publication', 'issue', 'pages', 'keywords', 'note', 'references'] as const) {
    if (spec[key] !== undefined) meta[key] = spec[key];
  }
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n\n${body}\n`;
}

function main(): void {
  const source = process.argv[2] ?? '../shared/knowledge-source/000_0c20a2d3c8e53b3e.txt';
  const outDir = process.argv[3] ?? 'knowledge';
  const lines = readFileSync(source, 'utf8').replace(/\r\n?/g, '\n').split('\n');
  mkdirSync(outDir, { recursive: true });
  for (const spec of ESSAYS) {
    const file = join(outDir, `${spec.id}.md`);
    writeFileSync(file, buildEssayMarkdown(lines, spec));
    console.log(`wrote ${file}`);
  }
}

main();
