// How much an answer takes up the stem's own situation: the people, things and events this question
// is about (李大爷 and his 纸箱, the 议事会 老刘 stays away from, 修路还是修水渠), not the field's
// common vocabulary (社区, 群众, 工作) nor the ask (你怎么处理, 请现场模拟). A fluent, concrete answer
// about another matter of the same field (a fire-safety campaign instead of talking to 李大爷) says
// few of these.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { bigrams, words } from '../retrieval/tokenize.ts';
import { corePhrases } from './adhoc.ts';
import { GENERIC_WORDS } from './answer-analysis.ts';

/** One thing of the stem's situation, the ways an answer may name it, and how much it tells this question apart. */
export interface SituationTerm {
  term: string;
  forms: string[];
  weight: number;
  /** a person the stem names (小王, 李大爷) */
  person?: boolean;
}

// the candidate's role and the ask: every answer says them, they show nothing of the situation
const ROLE_CLAUSE = /(?:你|您)(?:是|作为|担任)[^,，。；;]{1,20}[,，。；;]/g;
const ASK_WORDS = new Set(
  '现场 模拟 讲话 发言 会上 沟通 处理 看法 观点 理解 认识 怎么 如何 怎样 应对 开展 组织 谈谈 说说 请你 假如 如果 此时 这时 最近 近年来 近日 一些 有的 不少 很多 某地 某县 某市 某镇 某村 某社区 某街道 一次 一项 今年 当天 随后 之后 结果 认为 有人 说法 对此'.split(' '),
);

// the telling of a story, not its matter: 已经, 开始, 一位, 这次 …
const NARRATIVE = /^(?:已经|开始|只有|还有|这么|那么|不是|反而|真正|部分|其中|出现|发现|决定|负责|召开|当晚|前不久|近期|[这那该此][项次份天个位件]|[一两几][位天处条张批家根个次名户份项栋篇件]|一时半会|越来越)$/;

// people the stem names: 小王, 老刘, 李大爷, 张阿姨 (an answer speaks of them as 小王, 大爷, 老人家 …)
const SURNAMES = '李王张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const KIN = '大爷|大妈|大娘|大叔|大婶|大姐|大哥|阿姨|奶奶|爷爷|婆婆|师傅|老师|书记|主任|支书|组长|老板';
const PERSON = new RegExp(`[${SURNAMES}](?:${KIN})|[老小][${SURNAMES}]`, 'g');

const CHINESE_DIGITS = '零一二三四五六七八九';
/** 12 → 十二, 230 → 二百三十 (and 两百三十): how a number is said. */
export function spokenNumber(digits: string): string[] {
  const n = Number(digits);
  if (!Number.isInteger(n) || n <= 0 || n >= 10000) return [];
  const units = ['', '十', '百', '千'];
  const chars = String(n).split('').map(Number);
  let out = '';
  chars.forEach((d, i) => {
    const unit = units[chars.length - 1 - i];
    if (d === 0) {
      if (!out.endsWith('零') && chars.slice(i).some((x) => x > 0)) out += '零';
      return;
    }
    out += CHINESE_DIGITS[d] + unit;
  });
  out = out.replace(/零+$/, '');
  if (out.startsWith('一十')) out = out.slice(1);
  return out.startsWith('二百') || out.startsWith('二千') ? [out, `两${out.slice(1)}`] : [out];
}

/** The stem's situation terms; each word once. */
export function situationTerms(stem: string, weightOf: (term: string) => number = () => 1): SituationTerm[] {
  const core = corePhrases(stem).replace(ROLE_CLAUSE, ' ');
  const terms: SituationTerm[] = [];
  const seen = new Set<string>();
  const add = (term: string, forms: string[], person = false): void => {
    const key = normalizeForMatch(term);
    if (key.length < 2 || seen.has(key)) return;
    seen.add(key);
    terms.push({ term, forms: [...new Set([key, ...forms.map(normalizeForMatch)])].filter((f) => f.length >= 2), weight: weightOf(term), ...(person ? { person } : {}) });
  };
  for (const match of core.matchAll(PERSON)) {
    const name = match[0];
    const kin = name.slice(1);
    add(name, kin.length >= 2 ? [kin] : [], true);
  }
  for (const w of words(core)) {
    if (w.length < 2 || GENERIC_WORDS.has(w) || ASK_WORDS.has(w) || NARRATIVE.test(w)) continue;
    if ([...seen].some((s) => s.includes(normalizeForMatch(w)))) continue;
    add(w, /^\d+$/.test(w) ? spokenNumber(w) : []);
  }
  return terms;
}

/** 1 for a form said, 0.5 for most of a long term's character pairs (情绪低落 ~ 低落的情绪), else 0. */
function presence(term: SituationTerm, text: string, grams: Set<string>): number {
  if (term.forms.some((f) => text.includes(f))) return 1;
  if (term.term.length >= 4) {
    const own = new Set(bigrams(term.term));
    let shared = 0;
    for (const g of own) if (grams.has(g)) shared += 1;
    if (own.size > 0 && shared / own.size >= 0.5) return 0.5;
  }
  return 0;
}

/** Weighted share of the stem's situation terms the text names: 0..1 (1 when the stem has none). */
export function situationCoverage(terms: SituationTerm[], text: string): number {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) return 1;
  const normalized = normalizeForMatch(text);
  const grams = new Set(bigrams(text));
  return terms.reduce((sum, t) => sum + t.weight * presence(t, normalized, grams), 0) / total;
}

