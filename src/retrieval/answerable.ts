// Whether the best passages hold the kind of thing a question asks for, beyond sharing its words.
// "“六治融合”的“六治”是哪六治?" shares every word with the passage that names 六治融合, but
// only a passage that lists six items answers it; "湘江新区是哪一年获批的?" needs a year next to
// 湘江新区, not any figure anywhere in the passage.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { taggedWords } from './tokenize.ts';
import { asksWithoutMark, UNMARKED_QUESTION } from './focus.ts';

const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const NUMERAL = '[一二两三四五六七八九十]|\\d{1,2}';
const SET_WORD = '(?:个|种|类|项|条|大|步|点|化|治|权|会|位|级|方面|环节|阶段|机制|制度)';

export interface SetQuestion {
  /** how many members the question expects */
  size: number;
  /** what names the set in the question ("六治", "四化", "三会"): where the list should be */
  anchors: string[];
}

function numberOf(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : (NUMERALS[text] ?? 0);
}

/**
 * A question asking for the members of a counted set: 哪六治 / 哪四个方面 / 这四类分别是 /
 * 三会指的是哪三个会. Undefined for other questions.
 */
export function setQuestionOf(question: string): SetQuestion | undefined {
  const asked =
    question.match(new RegExp(`哪\\s*(${NUMERAL})\\s*(${SET_WORD}?)`)) ??
    // (第二条 is an ordinal: "第一条、第二条启示分别讲的是什么" asks for two items, not a set of two)
    question.match(new RegExp(`(?<!第)(${NUMERAL})\\s*(${SET_WORD})[^,，。;；?？]{0,10}(?:分别|各是|具体是|都是|指的是|是指)`));
  if (!asked) return undefined;
  const size = numberOf(asked[1]);
  if (size < 2 || size > 10) return undefined;
  const anchors = new Set<string>();
  // the set's own name in the question: quoted ("六治融合"), or the numeral with its word (六治, 四类)
  for (const m of question.matchAll(/[“"「『]([^”"」』]{2,12})[”"」』]/g)) anchors.add(m[1]);
  for (const m of question.matchAll(new RegExp(`(${NUMERAL})(${SET_WORD})`, 'g'))) {
    // "哪三个会" is how the question counts, not the set's name
    const asking = question[(m.index ?? 0) - 1] === '哪';
    if (numberOf(m[1]) === size && !asking) anchors.add(`${m[1]}${m[2]}`);
  }
  // "三个“化”", "四个“最”": the set is named by the character its members share, as 三化 would be
  for (const m of question.matchAll(new RegExp(`(${NUMERAL})\\s*个?\\s*[“"「『]([\\u4e00-\\u9fff])[”"」』]`, 'g'))) if (numberOf(m[1]) === size) anchors.add(`${m[1]}${m[2]}`);
  return { size, anchors: [...anchors] };
}

/**
 * A numbered abbreviation ("四化", "三认") stands for a list whose items share its character:
 * "待遇制度化、经费保障化、工作专职化、服务常态化", "认岗、认亲、认难题". True when the text has
 * such a list of at least that many items.
 */
export function abbreviationListed(name: string, text: string): boolean {
  const m = /^([一二两三四五六七八九十])([\u4e00-\u9fff])$/.exec(name.trim());
  if (!m) return false;
  const size = numberOf(m[1]);
  const shared = m[2];
  for (const sentence of text.split(/[。！？!?\n]/)) {
    for (const run of sentence.split(/[,，:：;；“”"「」]/)) {
      const items = run.split('、').map((item) => item.trim());
      if (items.length >= size && items.filter((item) => item.length <= 8 && item.includes(shared)).length >= size) return true;
    }
  }
  return false;
}

const ORDINALS = [
  /[一二三四五六七八九十]是/g,
  /第[一二三四五六七八九十]/g,
  /[(（]\s*[1-9一二三四五六七八九十]\s*[)）]/g,
  /[①②③④⑤⑥⑦⑧⑨⑩]/g,
  /(?:^|\n)\s*[1-9][.、．]/g,
];

/** The most items one list in the text has: 、-separated within a sentence, or numbered. */
export function listLength(text: string): number {
  let best = 0;
  for (const sentence of text.split(/[。！？!?\n]/)) {
    // 、 separates items; ； separates longer ones
    const byComma = sentence.split('、').length;
    const bySemicolon = sentence.split(/[;；]/).length;
    best = Math.max(best, byComma, bySemicolon);
  }
  for (const pattern of ORDINALS) best = Math.max(best, new Set(text.match(pattern) ?? []).size);
  return best;
}

/** How far after the set's name its list may start. */
const LIST_REACH = 160;

/**
 * True when some passage names the set and lists about as many members right after it (or, with
 * no name to look for, anywhere).
 */
export function setListed(set: SetQuestion, passages: string[]): boolean {
  const need = Math.max(2, set.size - 1);
  const anchors = set.anchors.map(normalizeForMatch).filter((a) => a !== '');
  for (const passage of passages) {
    if (anchors.length === 0) {
      if (listLength(passage) >= need) return true;
      continue;
    }
    // paragraph breaks are kept: a list that starts in a new paragraph is set out item by item
    const flat = passage.replace(/[^\S\n]+/g, '');
    for (const anchor of set.anchors) if (abbreviationListed(anchor, passage)) return true;
    if (siblingsListed(set, anchors, passage)) return true;
    for (const anchor of anchors) {
      // the anchor is compared without punctuation; find it in the text with punctuation kept
      for (let from = 0; from < flat.length; ) {
        const at = indexIgnoringPunctuation(flat, anchor, from);
        if (at < 0) break;
        if (listedAfter(membersAfter(flat, at, anchor)) >= need) return true;
        from = at + 1;
      }
    }
  }
  return false;
}

/**
 * True when a passage lists the members of a thing the question names without counting them
 * ("村干部“小微权力清单”包括哪些事项?"): the clause with the name holds a list of three or more
 * ("“科学定调、民主定盘、多方查漏”的“两定一查”"), or the name announces one ("…包括:", "即…").
 * A passage that only mentions the name, beside a list of something else, does not answer.
 */
export function namedListGiven(names: string[], passages: string[]): boolean {
  const anchors = names.map(normalizeForMatch).filter((a) => a !== '');
  for (const passage of passages) {
    const sentences = passage.split(/[。！？!?\n]/);
    for (const [at, sentence] of sentences.entries()) {
      // a point of a list ("三是加大农村党建投入,推进基层阵地建设。") is spelled out in the sentences after it
      if (POINT_HEADING.test(sentence.trim()) && sentence.length <= 40 && anchors.some((a) => normalizeForMatch(sentence).includes(a)) && (sentences[at + 1] ?? '').trim().length >= 10) return true;
      const clauses = sentence.split(/[,，;；]/);
      for (const [i, clause] of clauses.entries()) {
        const flat = normalizeForMatch(clause);
        if (!anchors.some((anchor) => flat.includes(anchor))) continue;
        if (clause.split('、').length >= 3) return true;
        // what follows the name: the rest of its clause, then the next ones ("“四增两减”城市更新模式,即…")
        const after = [clause.slice(clause.search(/[”"」』]/) + 1), ...clauses.slice(i + 1)].join('，');
        if (ANNOUNCES_MEMBERS.test(after) && listedAfter(after.replace(ANNOUNCES_MEMBERS, '')) >= 3) return true;
      }
    }
  }
  return false;
}

const POINT_HEADING = /^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|第[一二三四五六七八九十][,，、]|[(（][一二三四五六七八九十\d][)）]|\d[.．、])/;
const ANNOUNCES_MEMBERS = /^[^、，]{0,8}?，?(?:[:：]|包括|包含|即|是指|分别是|主要有)/;

/**
 * "“三级授权”“五权界限”后面还有哪两个?" names items of a list and asks for the rest: a sentence that
 * lists the named items with as many more answers it.
 */
function siblingsListed(set: SetQuestion, anchors: string[], passage: string): boolean {
  // "五权" inside "五权界限" is one name, not two
  const named = anchors.filter((a) => !anchors.some((other) => other !== a && other.includes(a)));
  if (named.length < 2) return false;
  for (const clause of passage.split(/[。！？!?\n,，;；:：]/)) {
    const flat = normalizeForMatch(clause);
    if (named.every((a) => flat.includes(a)) && clause.split('、').length >= named.length + set.size - 1) return true;
  }
  return false;
}

/**
 * How many members follow a set's name. Within its paragraph any list counts; once a new paragraph
 * begins only items set out as such (numbered, or one short line each) do: a sentence of the next
 * paragraph that happens to hold "误读、疑惑、畏难" is not the list.
 */
function listedAfter(text: string): number {
  const lines = text.split('\n');
  const first = listLength(lines[0]);
  const rest = lines.slice(1).filter((line) => line.trim() !== '');
  if (rest.length === 0) return first;
  let numbered = 0;
  for (const pattern of ORDINALS) numbered = Math.max(numbered, new Set(rest.join('\n').match(pattern) ?? []).size);
  let short = 0;
  while (short < rest.length && rest[short].replace(/[\s\p{P}\p{S}]/gu, '').length <= 30) short += 1;
  return Math.max(first, numbered, short >= 2 ? short : 0);
}

/**
 * The text where the members of the set named at `at` would be listed. When the name is itself one
 * item of a list ("“三级授权”、“五权界限”、“四步决策”"), that list is its siblings, not its members,
 * and whatever follows is about the siblings too: this mention lists nothing.
 */
function membersAfter(flat: string, at: number, anchor: string): string {
  let end = at;
  for (let matched = 0; end < flat.length && matched < anchor.length; end += 1) {
    if (!/[\s\p{P}\p{S}]/u.test(flat[end])) matched += 1;
  }
  // a name inside a longer quoted one ("三会" in “三会一课”) ends where the quote does
  const quoted = /^[^\s\p{P}\p{S}]{0,4}[”"」』]/u.exec(flat.slice(end, end + 6));
  if (quoted) end += quoted[0].length;
  const before = flat.slice(Math.max(0, at - 2), at);
  const isItem = flat[end] === '、' || /、[“"「『]?$/.test(before);
  return isItem ? '' : flat.slice(end, end + LIST_REACH);
}

function indexIgnoringPunctuation(text: string, needle: string, from: number): number {
  const chars = Array.from(needle);
  for (let i = from; i < text.length; i += 1) {
    let j = i;
    let k = 0;
    while (j < text.length && k < chars.length) {
      if (/[\s\p{P}\p{S}]/u.test(text[j])) {
        j += 1;
        continue;
      }
      if (text[j].toLowerCase() !== chars[k]) break;
      j += 1;
      k += 1;
    }
    if (k === chars.length) return i;
  }
  return -1;
}

/**
 * The sentences of a message that ask: those ending in a question mark when there are any. "决策基本
 * 是几个人说了算。想问一下怎么健全决策机制?" tells its situation with 几个人 but does not ask how many.
 */
export function askingPart(message: string): string {
  const sentences = message.split(/(?<=[?？])|[。！!]/).map((s) => s.trim()).filter(Boolean);
  const asking = sentences.filter((s, i) => /[?？]$/.test(s) || (i === sentences.length - 1 && !/[。！!]\s*$/.test(message) && asksWithoutMark(s)));
  return asking.length > 0 ? asking.join('') : message;
}

// 几 after these does not ask how many: 哪几 asks which, 好几/十几/没几/这几 say "several", "few", "these"
const COUNTING_JI = '(?<![哪了来好十这那没就才])几';

/**
 * What a figure question asks the figure of: the noun just before "是多少", "有多少", "多少" or
 * "几" in the clause that asks ("湘江新区2016年的GDP是多少" → GDP, "办理时限是多少天" → 时限).
 * Undefined when a verb or nothing stands there ("能拿多少钱", "划了多少个网格").
 */
export function figureSubjectOf(message: string): string | undefined {
  const clause = askingPart(message).split(/[,，;；]/).find((part) => /多少|几/.test(part));
  if (!clause) return undefined;
  const at = clause.search(/(?:是|有|为|达到?|共|一共|总共)?(?:多少|几)/);
  // an adverb between the noun and 多少 ("通过率大概是多少") hedges, it does not name the figure
  const before = taggedWords(clause.slice(0, at)).filter(({ word, tag }) => word.trim() !== '' && !/^(的|了|之)$/.test(word) && !/^d/.test(tag));
  const last = before[before.length - 1];
  if (!last || !/^(n|eng)/.test(last.tag) || /^(?:n(?:r|s|t))$/.test(last.tag) || pointsAtPlace(last.word)) return undefined;
  return Array.from(last.word).length >= 2 || last.tag === 'eng' ? last.word : undefined;
}

/**
 * A word that points at a place named elsewhere (镇里, 村里, 全区, 本村, 当地): "给了镇里多少项执法权"
 * asks about 大瑶镇, and the essay says 大瑶镇, never 镇里. It holds a figure no more than 这里 does.
 */
export function pointsAtPlace(word: string): boolean {
  return /^(?:[省市区县镇乡村]里|[全本该此][省市区县镇乡村]|当地|本地)$/.test(word);
}

/** What the question names in 《》 or quotes: the thing it asks about. */
export function quotedNames(question: string): string[] {
  return [...question.matchAll(/《([^》]{2,30})》|[“"「]([^”"」]{2,20})[”"」]/g)].map((m) => (m[1] ?? m[2]).trim());
}

// a 几 phrase inside its clause ("几个人能力确实跟不上")
const FEW_PHRASE = new RegExp(`${COUNTING_JI}[\\u4e00-\\u9fff]`);

/**
 * A clause that says "a few" before the clause that asks ("村班子里有几个人能力确实跟不上,……该怎么
 * 处理?") tells the situation: its 几 counts nothing the user asks for. A 几 that asks ends its
 * clause ("任期一般是几年,", "一年考几次,"); one that says "a few" is followed by what they do.
 * (A clause asks with the words of a question left without its mark: focus.ts.)
 */
export function withoutStatedFew(question: string): string {
  const clauses = question.split(/(?<=[,，;；])/);
  const asks = (clause: string): boolean => UNMARKED_QUESTION.test(clause);
  const saysFew = (clause: string): boolean => {
    const at = FEW_PHRASE.exec(clause);
    return at !== null && clause.slice(at.index + 2).replace(/[\s\p{P}\p{S}]/gu, '').length > 3;
  };
  return clauses.filter((clause, i) => !(saysFew(clause) && !asks(clause) && !/[?？]/.test(clause) && clauses.slice(i + 1).some(asks))).join('');
}

const YES_NO = /吗|能不能|是不是|要不要|可不可以|行不行|会不会|有没有|该不该|是否/;

export type FigureKind = 'year' | 'money' | 'count' | 'duration' | 'place' | 'person' | 'agent' | 'exam' | 'condition' | 'contact';

// what else a question may ask for that a passage either gives next to the topic or does not:
// who is in charge (由谁管), what an exam covers (考哪几科), what it takes (报考条件), how to reach it (电话)
const ASKS_AGENT = /由谁|谁来|谁负责|归谁|哪个部门|哪些部门|什么部门|哪个单位|哪些单位|什么单位|哪家单位|哪家公司|什么机构|哪个机构/;
const ASKS_EXAM = /科目|题型|考几门|哪几门|几科|考试内容|考哪些内容|考什么内容/;
// (asked for: "创造条件" in "给后备干部上岗创造条件,…还有哪两个办法" is not)
const ASKS_CONDITION = /(?:什么|哪些|啥|哪几个?|有何)(?:样的)?(?:硬性|基本|报考|申请|报名)?(?:条件|资格|门槛)|(?:条件|资格|门槛)(?:是什么|是啥|有哪些|有什么|有啥)|硬性要求/;
const ASKS_CONTACT = /电话|热线|网址|(?<![a-z])app(?![a-z])|下载|登录|公众号|小程序/i;

/** The kind of figure (or named detail: who, which subjects, what conditions, what contact) a question asks for, if any. */
export function figureKindOf(message: string): FigureKind | undefined {
  const question = withoutStatedFew(askingPart(message));
  // the name of whoever holds a post (not an essay's author, which its metadata gives)
  if (postAskedFor(question)) return 'person';
  if (/哪一年|哪年|什么时候|何时|几月|哪个月|啥时候|什么时间|哪一天/.test(question)) return 'year';
  if (/(?:哪个|哪一个|哪)(?:省|市|县|区|州)|位于哪|地处哪/.test(question)) return 'place';
  if (/多少钱|工资|薪酬|薪水|待遇|补贴|报酬|经费|预算|资金/.test(question) && /多少|标准|怎么算|几(块|千|百|万)/.test(question)) return 'money';
  // how long, or how often: 任期几年, 多久办结, 多少年一次
  if (new RegExp(`多久|多长时间|多长的?时间|(?:多少|${COUNTING_JI})(?:个)?(?:年|天|月|日|小时|周|星期|工作日)`).test(question)) return 'duration';
  // 哪几个方面 asks for a list, not a figure
  if (/多少|几成|比例|百分之|占比|数量|人数/.test(question)) return 'count';
  // which article of a law or a rule: 第几条
  if (/第几(?:条|款|章|节)/.test(question)) return 'count';
  // "几个突出问题,都是什么?" asks for the members, not how many
  // (nor does "几个什么“化”": it asks which)
  if (new RegExp(`${COUNTING_JI}[个项条类种点](?:.{0,12}(?:都|分别|各|具体)(?:是|有))?(?:什么|哪些|啥|哪几)`).test(question)) return undefined;
  // in a yes-or-no question 几 is "a few": "能不能先抓其中几项?" does not ask how many
  if (!YES_NO.test(question) && new RegExp(`${COUNTING_JI}(户|人|名|个|次|岁|万|项|家|所|支)`).test(question)) return 'count';
  // in a yes-or-no question 谁 is "anyone": "不用谁来监督?"
  if (ASKS_AGENT.test(question) && !YES_NO.test(question)) return 'agent';
  if (ASKS_EXAM.test(question)) return 'exam';
  if (ASKS_CONDITION.test(question)) return 'condition';
  if (ASKS_CONTACT.test(question)) return 'contact';
  return undefined;
}

const MEASURE_WORDS = '户人名个项条次家所支岁岗级科位';

/**
 * The measure word a count question names ("多少户" → 户, "几个部门" → 个): a count in other
 * units ("一个新探索", "保留89项") does not answer it.
 */
export function countUnitOf(question: string): string | undefined {
  // "几个人" counts people: 个 is only the classifier before 人
  // "多少分及格" asks for a score (not 多少分钟, 几分之几)
  const match = new RegExp(`(?:多少|${COUNTING_JI})(?:([${MEASURE_WORDS}])(人|户|家)?|(分)(?![钟之]))`).exec(askingPart(question));
  return match?.[2] ?? match?.[1] ?? match?.[3];
}

/** A share is given by a percentage, whether or not the sentence says 比例. */
const SHARE_WORD = /^(?:比例|占比|比重|百分比)$/;

/**
 * What a figure of the kind is counted or named by: the measure word, the kind of place, the post,
 * or for a date 'start' when the question asks when something began.
 */
export function figureUnitOf(kind: FigureKind, question: string): string | undefined {
  if (kind === 'year') return START_ASKED.test(askingPart(question)) ? 'start' : undefined;
  return kind === 'place' ? placeUnitOf(question) : kind === 'person' ? postAskedFor(question) : countUnitOf(question);
}

// "最早是哪一年开始的", "什么时候成立的": the date of a beginning, which a sentence gives when it
// says something began then ("早在2006年率先开展", "从2014年起", "首次提出"), not any year near the topic
const START_ASKED = /开始|最早|起来|头一回|首次|第一次|成立|创立|创建|发起|开通|启动|推行|诞生|起源|兴起/;
const START_SAID = /开始|始|起|首|最早|率先|成立|创|发起|诞生|建立|设立|提出|开展|启动|推行|开通|以来|至今|自|从|早在|合并|获批|挂牌|出台|印发|兴起/;

/** The kind of place a where-question asks for ("天津哪个区" → 区). */
export function placeUnitOf(question: string): string | undefined {
  return /(?:哪个|哪一个|哪)(省|市|县|区|州)/.exec(question)?.[1];
}

// 社区, 小区, 城市, 超市 … end in 区 or 市 without naming a district or a city
const NOT_A_PLACE_NAME = /(?:社|小|园|地|辖|片|景|城|山|街|牧|库|校|新|功能|试验|示范|开发)区$|(?:城|都|超|股|门|夜|集|上)市$/;

function namesPlace(sentence: string, unit: string): boolean {
  for (const match of sentence.matchAll(new RegExp(`[\\u4e00-\\u9fff]{1,3}${unit}`, 'g'))) {
    if (!NOT_A_PLACE_NAME.test(match[0])) return true;
  }
  return false;
}

const FIGURE_OF: Record<Exclude<FigureKind, 'person'>, RegExp> = {
  // a year, a month, or the Party congress or plenum that dates it
  year: /(?:\d{4}|[一二〇零○]{4})\s*年|\d{1,2}\s*月|\d{2}\s*世纪|\d{2}\s*年代|(?:[二三]?十)[一二三四五六七八九]?(?:大|届)/,
  // amounts are often written without 元 ("补贴50-100")
  money: /\d{2,}|[一二三四五六七八九十百千万两]+(?:元|万元|亿元)/,
  // a province (a general list, not keyed to any question), or a county or prefecture by name
  place:
    /(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)|[\u4e00-\u9fff]{2,4}(?:县|自治州)(?![级域委乡里城])/,
  // a length of time (not a year: 2018年 dates, 三年 lasts), or how often (每季度, 按月)
  duration: /(?<![\d〇零○])(?:\d{1,3}|[一二三四五六七八九十两半]+)\s*(?:余|多)?\s*个?总?(?:年|天|月|日|小时|周|星期|工作日)(?![代度级底初末中])|(?<!\d)\d{4,}\s*(?:余|多)?\s*个?总?(?:工作日|天|小时)|[每按](?:个|一)?(?:季度|年|月|周|星期|天|日|半年)/,
  count: /\d|百分之|[一二三四五六七八九十百千万两]+(?:名|人|户|件|万|亿|元|个|项|次|家|支|所|%)/,
  agent: /负责|牵头|主管|主抓|承担|召集|主持|由[^，,。；;]{2,16}(?:组织|实施|管理|审核|审批|决定|决策|审定|拍板|执行|办理|处理|监督|调解|考核|评定|认定|提出|组成|担任|兼任|选举|推选)/,
  exam: /科目|考试内容|考核内容|考[^，,。；;]{0,6}(?:知识|能力|法规|理论|实务|政策)/,
  condition: /条件|具备|具有|必须|须|应当|需要|要求|年龄|学历|周岁|以上|以下|不超过|不低于|取得|持有|资格/,
  // a telephone or hotline number, not a year or a count ("2018年", "26000多名")
  contact: /(?<![\d.])(?:1\d{10}|0\d{2,3}[-—]?\d{7,8}|\d{5,})(?![\d.]|\s*(?:余|多)?\s*[年月日号岁%％户人名个项条次家所支万亿元])|热线|电话|网址|https?:|公众号|小程序|app/i,
};

const POST = /(?:书记|支书|主任|局长|县长|市长|区长|镇长|乡长|村长|会长|负责人|带头人|领导)/;
const POST_ASKED = new RegExp(`(${POST.source})[^,，。?？]{0,4}(?:叫什么|叫啥|姓什么|姓啥|是谁|是哪位|名字)`);

/** The post whose holder a question asks for ("…书记叫什么名字?" → 书记). */
export function postAskedFor(question: string): string | undefined {
  return POST_ASKED.exec(question)?.[1];
}

/** A person's name (jieba's nr tag) right next to the post in the text: "党委书记张某", "王某主任". */
function namesHolder(text: string, post: string): boolean {
  for (let at = text.indexOf(post); at >= 0; at = text.indexOf(post, at + 1)) {
    // 总书记 is another post than 书记
    if (post === '书记' && text[at - 1] === '总') continue;
    const near = `${text.slice(Math.max(0, at - 4), at)}，${text.slice(at + post.length, at + post.length + 4)}`;
    if (taggedWords(near).some(({ word, tag }) => tag === 'nr' && word.length >= 2 && word.length <= 4)) return true;
  }
  return false;
}

// a number that dates, ages or counts something is not an amount of money ("从2014年起", "45周岁以下", "64项")
// an amount is said with a word for money ("补贴50-100", "总投资248亿元"); a bare number is a count or a date
const MONEY_WORD = /元|补贴|补助|工资|待遇|薪|报酬|经费|资金|投入|投资|收入|预算|奖励|费用|钱/;
const NOT_MONEY = /\d+(?:\.\d+)?(?:\s*[—–\-~至到]\s*\d+)?\s*(?:余|多)?\s*(?:年|月|日|号|周岁|岁|%|％|[户人名个项条次家所支岗级科位届])/g;

// the units a figure is counted in: a question's 多少个工作日 keeps its unit in the sentence
const TIME_UNIT = /^(?:年|天|月|日|小时|周|星期|季度|工作日)$/;

/**
 * True when a sentence of the passages gives a figure of the asked kind together with the
 * question's topic (at least one of its topic words, or two when it has more). When the question
 * names what it asks about (《天津市社区工作者管理办法》, “小微权力清单”), the figure must be in a
 * sentence with that name. A figure inside a topic word ("十八届" in 十八届三中全会) dates nothing.
 */
export function figureGiven(
  kind: FigureKind,
  /** each topic word, or a word followed by the essays' words for it (拿多少, 待遇) */
  topicWords: ReadonlyArray<string | readonly string[]>,
  passages: string[],
  unit?: string,
  names: string[] = [],
  /** what the figure is of (figureSubjectOf), with the essays' words for it: the sentence must say it */
  subject: readonly string[] = [],
): boolean {
  // a one-character word (钱) is too vague to place a figure, whatever the essays call it
  const topics = topicWords.map((t) => (typeof t === 'string' ? [t] : [...t])).filter((t) => t.length > 0 && t[0].length >= 2);
  const words = [...new Set(topics.flat())];
  const need = Math.min(topics.length, 2);
  // people are counted in 名 and 位 as well as 人 ("26000多名党员" answers 多少人)
  const counted = unit === '人' ? '[人名位]' : unit;
  const figure = kind === 'person' ? undefined : kind === 'count' && counted ? new RegExp(`(?:\\d+|[一二三四五六七八九十百千万两]+)\\s*(?:余|多)?\\s*${counted}`) : FIGURE_OF[kind];
  const share = subject.some((w) => SHARE_WORD.test(w));
  // a district or a city is named by its own word; a province or county as listed above
  // `rest` is the sentence without the topic words; an amount is said with a word for money, which may be one of them
  const gives = (rest: string, sentence: string): boolean =>
    kind === 'place' && (unit === '区' || unit === '市')
      ? namesPlace(rest, unit)
      : figure
        ? kind === 'money'
          ? MONEY_WORD.test(sentence) && figure.test(rest.replace(NOT_MONEY, ' '))
          : figure.test(rest) && (kind !== 'year' || unit !== 'start' || START_SAID.test(rest))
        : namesHolder(rest, unit ?? '');
  const named = names.map(normalizeForMatch).filter((n) => n !== '');
  for (const passage of passages) {
    for (const sentence of passage.split(/[。！？!?；;\n]/)) {
      if (named.length > 0 && !named.some((n) => normalizeForMatch(sentence).includes(n))) continue;
      if (subject.length > 0 && !subject.some((w) => normalizeForMatch(sentence).includes(normalizeForMatch(w))) && !(share && /[%％]|百分之/.test(sentence))) continue;
      // (a unit the question asks in, 多少个工作日, stays: it is part of the figure)
      const rest = [...words, ...names].filter((w) => !TIME_UNIT.test(w)).reduce((text, w) => text.split(w).join(' '), sentence);
      if (!gives(rest, sentence)) continue;
      const shared = topics.filter((alternatives) => alternatives.some((w) => sentence.includes(w))).length;
      if (named.length > 0 || shared >= need) return true;
    }
  }
  return false;
}
