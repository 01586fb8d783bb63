// English questions, offline: the governance words they use, in the essays' Chinese, so the
// closest passages can still be found. A general glossary of the field (not of particular
// questions); place and programme names written in pinyin are matched through sound-alikes
// (sound.ts). With a model, English questions are translated by the model instead.

import { GLOSSARY_PHRASES, GLOSSARY_WORDS } from './english-glossary.ts';
import { stemsOf } from './english-dictionary.ts';

/** Multi-word phrases first: they win over their single words. */
const PHRASES: Array<[string, string]> = [
  ['party building', '党建'],
  ['party organization', '党组织'],
  ['party organisation', '党组织'],
  ['party members', '党员'],
  ['party member', '党员'],
  ['communist party', '党'],
  ['grassroots governance', '基层治理'],
  ['social governance', '社会治理'],
  ['grid management', '网格化管理'],
  ['grid-based management', '网格化管理'],
  ['community workers', '社区工作者'],
  ['community worker', '社区工作者'],
  ['social workers', '社会工作者'],
  ['social organizations', '社会组织'],
  ['social organisations', '社会组织'],
  ['self-governance', '自治'],
  ['self governance', '自治'],
  ['self-government', '自治'],
  ['rule of law', '法治'],
  ['rule of virtue', '德治'],
  ['village committee', '村委会'],
  ['villagers committee', '村委会'],
  ['village cadres', '村干部'],
  ['village cadre', '村干部'],
  ['village officials', '村干部'],
  ['rural revitalization', '乡村振兴'],
  ['rural revitalisation', '乡村振兴'],
  ['land acquisition', '征地'],
  ['ethnic minority', '少数民族'],
  ['ethnic minorities', '少数民族'],
  ['minority areas', '少数民族地区'],
  ['public services', '公共服务'],
  ['public service', '公共服务'],
  ['big data', '大数据'],
  ['mass line', '群众路线'],
  ['reform and opening', '改革开放'],
  ['main body', '主体'],
];

const WORDS: Record<string, string> = {
  supervise: '监督',
  innovate: '创新',
  train: '培训',
  elect: '选举',
  wage: '待遇',
  wechat: '微信',
  governance: '治理',
  govern: '治理',
  governing: '治理',
  management: '管理',
  manage: '管理',
  grassroots: '基层',
  community: '社区',
  communities: '社区',
  neighborhood: '社区',
  neighbourhood: '社区',
  residents: '居民',
  resident: '居民',
  village: '村',
  villages: '村',
  villagers: '村民',
  villager: '村民',
  rural: '农村',
  countryside: '农村',
  urban: '城市',
  city: '城市',
  town: '镇',
  township: '乡镇',
  towns: '镇',
  street: '街道',
  subdistrict: '街道',
  district: '区',
  county: '县',
  party: '党',
  cpc: '党',
  cadres: '干部',
  cadre: '干部',
  officials: '干部',
  official: '干部',
  government: '政府',
  governments: '政府',
  grid: '网格',
  grids: '网格',
  volunteers: '志愿者',
  volunteer: '志愿者',
  masses: '群众',
  people: '群众',
  public: '群众',
  citizens: '群众',
  participation: '参与',
  participate: '参与',
  consultation: '协商',
  deliberation: '议事',
  deliberative: '议事',
  council: '议事会',
  democracy: '民主',
  democratic: '民主',
  election: '选举',
  elections: '选举',
  supervision: '监督',
  oversight: '监督',
  law: '法治',
  legal: '法治',
  virtue: '德治',
  morality: '德治',
  moral: '德治',
  autonomy: '自治',
  disputes: '矛盾纠纷',
  dispute: '矛盾纠纷',
  conflicts: '矛盾',
  conflict: '矛盾',
  mediation: '调解',
  petition: '信访',
  petitions: '信访',
  services: '服务',
  service: '服务',
  recruitment: '招聘',
  recruit: '招聘',
  recruited: '招聘',
  hiring: '招聘',
  hired: '招聘',
  salary: '薪酬',
  pay: '薪酬',
  incentives: '激励',
  incentive: '激励',
  training: '培训',
  assessment: '考核',
  evaluation: '考核',
  appraisal: '考核',
  problems: '问题',
  problem: '问题',
  challenges: '问题',
  difficulties: '困境',
  dilemma: '困境',
  causes: '原因',
  reasons: '原因',
  measures: '措施',
  suggestions: '建议',
  countermeasures: '对策',
  solutions: '对策',
  experience: '经验',
  lessons: '启示',
  innovation: '创新',
  innovative: '创新',
  mechanism: '机制',
  mechanisms: '机制',
  system: '体制',
  institutional: '体制',
  reform: '改革',
  reforms: '改革',
  modernization: '现代化',
  modernisation: '现代化',
  information: '信息化',
  informatization: '信息化',
  digital: '信息化',
  internet: '互联网',
  online: '网络',
  technology: '科技',
  funding: '资金',
  funds: '资金',
  money: '资金',
  finance: '财政',
  resources: '资源',
  power: '权力',
  powers: '权力',
  responsibilities: '责任',
  responsibility: '责任',
  burden: '负担',
  burdens: '负担',
  collective: '集体',
  economy: '经济',
  land: '土地',
  demolition: '拆迁',
  relocation: '拆迁',
  minority: '少数民族',
  ethnic: '民族',
  aging: '老龄化',
  ageing: '老龄化',
  elderly: '老年人',
  youth: '青年',
  young: '年轻',
  talent: '人才',
  talents: '人才',
  professional: '专业化',
  professionalization: '专业化',
  standardization: '标准化',
  socialization: '社会化',
  coordination: '协同',
  cooperation: '合作',
  coexistence: '共治',
  'co-governance': '共治',
  leadership: '引领',
  leading: '引领',
  led: '引领',
  core: '核心',
  stability: '稳定',
  security: '安全',
  safety: '安全',
  environment: '环境',
  culture: '文化',
  cultural: '文化',
  education: '教育',
  poverty: '贫困',
  development: '发展',
  integration: '融合',
  fusion: '融合',
};

const LATIN_WORD = /[a-z][a-z'-]*/g;

export interface EnglishTerms {
  /** Chinese terms for the English words the glossary knows */
  chinese: string[];
  /** words it does not know (candidates for pinyin names) */
  unknown: string[];
}

const wordCount = (phrase: string): number => phrase.split(/[-\s]+/).length;

// the hand-made lists above win over the general glossary; longer phrases are tried first
const ALL_PHRASES = [...PHRASES, ...GLOSSARY_PHRASES.filter(([phrase]) => !PHRASES.some(([own]) => own === phrase))]
  .sort((a, b) => wordCount(b[0]) - wordCount(a[0]))
  .map(([phrase, zh]) => ({ pattern: new RegExp(`(?<![a-z])${phrase.replace(/[-\s]+/g, '[-\\s]+')}(?:e?s)?(?![a-z])`, 'g'), zh }));
const ALL_WORDS: Record<string, string> = { ...GLOSSARY_WORDS, ...WORDS };

/** A word, or the word it is inflected from: villagers → villager, trained → train, supervised → supervise, moving → move. */
function lookUp(word: string): string | undefined {
  for (const stem of stemsOf(word)) if (ALL_WORDS[stem]) return ALL_WORDS[stem];
  return undefined;
}

/** The Chinese search terms for an English question, and the words left over. */
export function translateEnglish(question: string): EnglishTerms {
  // (punctuation apart from apostrophes only gets in the way of phrases: "No. 1 project")
  let text = ` ${question.toLowerCase().replace(/[’`]/g, "'").replace(/[.,;:!?"“”()]/g, ' ')} `;
  const chinese: string[] = [];
  for (const { pattern, zh } of ALL_PHRASES) {
    pattern.lastIndex = 0;
    if (pattern.test(text)) {
      chinese.push(zh);
      text = text.replace(pattern, ' ');
    }
  }
  const unknown: string[] = [];
  for (const match of text.matchAll(LATIN_WORD)) {
    // possessives and quotation marks: villagers' → villagers, 'leadership' → leadership
    const word = match[0].replace(/'s$/, '').replace(/['-]+$/, '');
    const zh = lookUp(word);
    if (zh) chinese.push(zh);
    else if (word.length >= 4) unknown.push(word);
  }
  return { chinese: [...new Set(chinese)], unknown };
}
