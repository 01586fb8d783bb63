// How well a sentence gives the kind of answer a question asks for. The question's own form is
// read in src/retrieval/question-form.ts (retrieval needs it too) and re-exported here.
import type { QuestionForm } from '../retrieval/question-form.ts';

export { asksSignificance, questionForm, type QuestionForm } from '../retrieval/question-form.ts';

// ---- how well a sentence answers a form (0..1) ----

const ORDINAL = '(?:[一二三四五六七八九十]是|首先|其次|再次|然后|最后|第[一二三四五六七八九十]|其[一二三四五]|一方面|另一方面|[(（][一二三四五六七八九十\\d]{1,2}[)）])';
/** a sentence that opens with an ordinal marker (after a short lead-in such as "在党员队伍建设上,") is an item of a list */
export const ITEM_START = new RegExp(`^(?:[^，,。；;]{1,12}[,，])?${ORDINAL}`);
/** the first item of a list: a sentence just before it announces the list */
export const FIRST_ITEM = /^(?:[^，,。；;]{1,12}[,，])?(?:一是|首先|第一(?:[,，、是])|其一|一方面|[(（]1[)）]|1[.．、](?!\d))/;
const TWO_ORDINALS = /(一是|首先|第一|其一|一方面|[(（]1[)）]).+(二是|其次|第二|其二|另一方面|[(（]2[)）])/;

/** 、 and ； outside quotation marks: names such as “一核引领、一网覆盖” are not lists */
function separatorsOutsideQuotes(text: string): { dun: number; semi: number } {
  const bare = text.replace(/[“"「『][^”"」』]*[”"」』]/g, '□');
  return { dun: (bare.match(/、/g) ?? []).length, semi: (bare.slice(0, -1).match(/[；;]/g) ?? []).length };
}

function listStrength(text: string): number {
  if (TWO_ORDINALS.test(text)) return 1;
  const { dun, semi } = separatorsOutsideQuotes(text);
  if (/[:：]/.test(text.slice(0, -1)) && dun + semi >= 2) return 1;
  // "…划分为在职党员、无职党员、退休党员和流动党员四类": items and their count
  if (dun >= 2 && /[一二三四五六七八九十两\d]+(?:大类|类|种|个方面|方面|点|条|项|个环节)/.test(text)) return 1;
  if (semi >= 2) return 0.8;
  if (dun >= 3 || /从[^，,。]{1,10}到[^，,。]{1,10}、从/.test(text)) return 0.8;
  // an item of a list; a bare one ("其次,严格强化党员日常管理。") says little on its own
  if (ITEM_START.test(text)) return text.length > 20 ? 0.7 : 0.5;
  if (dun >= 2) return 0.5;
  return 0;
}

const MEASURE = /要|应当|应该|应|必须|需要|通过|建立|健全|完善|推行|实行|开展|加强|加大|加快|推进|推动|强化|落实|采取|实施|坚持|注重|着力|构建|打造|引导|鼓励|扶持|支持|整合|优化|规范|严格|明确|设立|培育|培养|吸纳|组织|搭建|创新|探索/g;
// an imperative opening, after an optional lead-in and ordinal: "一是要…", "首先,严格…", "把…纳入…"
const IMPERATIVE = new RegExp(
  `^(?:[^，,。]{0,8}[,，])?${ORDINAL}?[,，]?(?:要|应|必须|需要|通过|建立|健全|完善|加强|加大|加快|推进|推动|推行|实行|开展|实施|采取|强化|落实|坚持|注重|着力|构建|创新|积极|大力|切实|严格|培养|提高|提升|发展|引导|鼓励|支持|吸纳|选拔|发挥|转变|改进|优化|规范|明确|树立|打造|深化|扩大|抓好|做好|把|将)`,
);
const PROBLEM = /不足|缺乏|缺失|不够|不到位|不健全|不完善|薄弱|滞后|不高|不强|不畅|困境|难题/;

function howStrength(text: string): number {
  const hits = new Set(text.match(MEASURE) ?? []).size;
  if (hits === 0) return 0;
  let strength = Math.min(1, 0.35 + 0.2 * hits);
  // an imperative opening ("要…", "加强…", "一是要…") is a measure; a complaint is not
  if (IMPERATIVE.test(text)) {
    strength = Math.min(1, strength + 0.3);
  } else if (PROBLEM.test(text)) strength *= 0.5;
  return strength;
}

const CAUSE_STRONG = /原因(是|在于|主要是|之一)|根源|症结|之所以|归根(到底|结底)|根本原因|主要原因|在于/;
const CAUSE = /因为|由于|原因|导致|造成|致使|使得|源于|囿于|受到?[^。]{0,12}影响|所以|因此|因而/g;

function whyStrength(text: string): number {
  if (CAUSE_STRONG.test(text)) return 1;
  const hits = (text.match(CAUSE) ?? []).length;
  return hits === 0 ? 0 : Math.min(1, 0.5 + 0.2 * (hits - 1));
}

/** the words that define what comes before them ("社会治理,即……", "……是指……") */
export const STRONG_DEFINITION_MARK = /即|是指|指的是|就是指|意为|意思是|含义是|定义为/;
const DEF_MARK = /(?:即|是指|指的是|就是指|意为|意思是|含义是|定义为|是一种|是一个|就是|称为|简称)/;
const DEF_NOUN = /是[^，,。；;]{2,40}的(模式|机制|方式|做法|过程|体系|制度|概念|总称|统称|理念|路径|方法|形式|组织|平台|工程|活动|部分|内容|任务|基础|核心)/;

/**
 * Does the subject of a definition name the asked-about term? "社会治理的复合化结构" defines
 * 复合化结构, not 社会治理: the subject must end with a topic word or consist mostly of them.
 */
function namesTopic(head: string, topic: readonly string[]): boolean {
  if (topic.length === 0) return true;
  const subject = head.replace(/^(所谓|其中|同时|因此|而)/, '').replace(/[^\p{L}\p{N}]/gu, '');
  if (topic.some((t) => subject.endsWith(t))) return true;
  let rest = subject;
  for (const t of [...topic].sort((a, b) => b.length - a.length)) rest = rest.split(t).join('');
  const covered = subject.length - rest.length;
  return covered > 0 && covered >= rest.replace(/的/g, '').length;
}

function defineStrength(text: string, topic: readonly string[]): number {
  const aboutTopic = (head: string): boolean => namesTopic(head, topic);
  const body = text.replace(/^所谓/, '');
  if (body !== text && aboutTopic(body.split(/[,，。]/)[0])) return 1;
  const mark = DEF_MARK.exec(body);
  if (mark && mark.index <= 30) {
    const head = body.slice(0, mark.index);
    const strong = STRONG_DEFINITION_MARK.test(mark[0]);
    if (aboutTopic(head)) return strong ? 1 : 0.7;
    if (strong) return 0.4;
  }
  const noun = DEF_NOUN.exec(body);
  if (noun) return aboutTopic(body.slice(0, noun.index + 1)) ? 0.8 : 0.4;
  // "社区网格化管理是城市基层党建工作的一个新探索": a topic followed by a copula
  const copula = /^[^，,。]{2,16}?是/.exec(body);
  if (copula && topic.length > 0 && aboutTopic(copula[0])) return 0.5;
  return 0;
}

function compareStrength(text: string): number {
  return /不同于|区别于|有别于|相比|相较|而不是|不再是|由[^，,。]{2,12}向[^，,。]{2,12}转变|从[^，,。]{2,12}到[^，,。]{2,12}的转变/.test(text) ? 0.6 : 0;
}

/**
 * How well `text` gives the kind of answer `form` asks for, 0..1. `topic` holds the question's
 * content words: a definition counts fully only when it defines one of them.
 */
export function formStrength(form: QuestionForm, text: string, topic: readonly string[] = []): number {
  switch (form) {
    case 'define':
      return defineStrength(text, topic);
    case 'list':
      return listStrength(text);
    case 'how':
      return howStrength(text);
    case 'why':
      return whyStrength(text);
    case 'compare':
      return compareStrength(text);
    default:
      return 0;
  }
}
