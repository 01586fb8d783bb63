// What each sentence of a candidate's answer is, before any key point is matched: whether it has
// sentence structure at all, whether it only introduces the speaker, restates the question or says
// nothing specific, whether it goes along with something wrong, and when it would be spoken.
import { normalizeForMatch } from '../knowledge/clean.ts';
import { splitSentences } from '../answer/sentences.ts';
import { bigrams, taggedWords, words } from '../retrieval/tokenize.ts';
import { clichesIn, distinctCliches, type ClicheHit } from './cliches.ts';

/** A candidate speaks about 200 characters a minute (the exam's own rule of thumb). */
export const CHARS_PER_MINUTE = 200;

export interface AnswerSentence {
  index: number;
  /** verbatim, as the candidate wrote it */
  text: string;
  /** content words, self-introduction removed */
  words: string[];
  /** it has a predicate: not a bare string of terms */
  structured: boolean;
  /** nothing but who the speaker is ("我是镇综合执法局的负责人") */
  selfIntro: boolean;
  /** mostly the question's own words */
  restatesStem: boolean;
  /** nothing specific: clichés and all-purpose verbs only */
  generic: boolean;
  /** what it says beyond 套话, all-purpose words and the question's own words */
  specifics: string[];
  /** it holds a 套话 (one that counts in a sentence like this one) */
  cliched: boolean;
  /** it names something a listener could check or picture (a number, a time frame, a tool, a person) */
  concrete: boolean;
  /** the wrong move it goes along with, if any */
  contradiction?: string;
  /** content characters spoken before the end of this sentence */
  spokenChars: number;
}

export interface AnswerAnalysis {
  sentences: AnswerSentence[];
  contentChars: number;
  /** share of the content that sits in structured sentences */
  structuredShare: number;
  cliches: ClicheHit[];
}

/** Characters that count as content: CJK, letters and digits. */
export function contentLength(text: string): number {
  return (text.match(/[\u3400-\u9fff\p{L}\p{N}]/gu) ?? []).length;
}

// Who is speaking; a clause that only says this is no content.
const SELF_INTRO_CLAUSE =
  /^(?:(?:我|本人)(?:是|叫|作为|现在是|目前是|担任)|作为|身为)[^,，。；;]{0,24}(?:负责人|干部|书记|主任|网格员|工作人员|科员|社工|村官|选调生|委员|局长|站长|所长|一员|代表|考生|同志|员工|助理)[,，。；;]?/;
// greetings and sign-offs to the examiners: neither credit nor penalty
const SELF_INTRO_WHOLE = /^(?:各位考官(?:好)?|考官(?:您)?好|以上(?:就)?是我的(?:回答|作答)|我的回答完毕|回答完毕|谢谢(?:各位)?(?:考官)?)[,，。!！、\s谢]*$/;

// All-purpose words that show no knowledge of the matter: a sentence of only these is generic.
export const GENERIC_WORDS = new Set(
  (
    '加强 提高 重视 认识 工作 做好 落实 推进 推动 积极 切实 努力 认真 全面 大力 有效 相关 一定 坚持 始终 充分 ' +
    '发挥 作用 确保 保证 进行 开展 实现 促进 提升 强化 完善 健全 建立 形成 不断 持续 各项 各种 各方 方面 问题 ' +
    '重要 非常 十分 高度 务必 全力 尽力 尽快 及时 妥善 处理 解决 情况 事情 东西 一些 大家 我们 我 自己 作为 ' +
    '领导 组织 安排 任务 要求 部署 精神 思想 意识 理念 水平 能力 素质 服务 群众 人民 为民 利益 关系 团结 ' +
    '和谐 稳定 发展 建设 社会 国家 时代 新 好 更 大 多 深入 扎实 细致 全心全意 信任 锻炼 考验 机会 荣幸 ' +
    '保障 支持 配合 协调 沟通 统筹 兼顾 齐抓共管 合力 格局 局面 成效 贡献 目标 方向 根本 关键 核心 ' +
    '办法 措施 手段 方式 方法 途径 渠道 层面 角度 过程 环节 阶段 最终 最后 首先 其次 然后 同时 另外 此外 ' +
    '总之 总而言之 综上 所述 一方面 另一方面 第一 第二 第三 第四 一是 二是 三是 四是 五是 辩证 看待 全局 大局 ' +
    '群众利益 放在首位 首位 宗旨 立场 传统 优势 成就 挑战 形势 生机 活力 初心 使命 担当 本领 作风 感情 责任 态度 ' +
    '心上 心里 真心 诚心 耐心 细心 热心 用心 信心 决心 共识 力量 方针 政策 制度 体系 现代化 高质量 全过程 各方面 ' +
    '问题意识 必要 必须 应当 可以 能够 需要 希望 相信 认为 觉得 看来 以为 知道 明白 理解 感到 表示 就是 还是'
  ).split(/\s+/),
);

// Going along with something wrong or passing it on, unless negated right before (global: every
// occurrence is judged on its own, the first may be someone else's: "有些干部说数据改一改就行,我觉得可以照着报").
const WRONG_MOVES: Array<[RegExp, string]> = [
  [/(?:代签|冒签|替(?:他们|别人)签|代为签字|(?:记录|材料|台账|表格?)上?(?:就)?(?:写成|填成|记成)[^。]{0,12}(?:到齐|同意|通过|完成|合格)|(?:好|方便|能)交差|应付(?:一下|过去|检查|上面))/g, '弄虚作假、走过场'],
  [/(?:该怎么报就怎么报|照(?:着|样)?(?:上)?报|按(?:领导|上面|他)(?:的意思|说的)(?:报|填|改|做)|数据.{0,6}(?:改一改|调一调|做漂亮|凑|编)|先报上去再说|报个好看的)/g, '迁就弄虚作假'],
  [/(?:不归我(?:们)?管|不是我(?:们)?的(?:事|职责|责任)|(?:让|叫)(?:他们|群众|对方|居民)(?:去)?找(?:别的|其他|有关)?部门|推给(?:别的|其他)?(?:部门|同事|上级)|与我(?:们)?无关)/g, '推诿责任'],
  [/(?:睁一只眼闭一只眼|装作没看见|不了了之|大事化小.{0,2}小事化了|先压下来|捂着|瞒着|别让(?:领导|上面)知道)/g, '回避或掩盖问题'],
  [/(?:私下(?:给|塞)(?:点)?钱|先答应(?:下来)?再说|口头答应|随便许诺|给他(?:们)?(?:特殊|额外)照顾|走个后门|通融一下)/g, '违规承诺或通融'],
  [/(?:强行(?:拆|推|清|驱)|动用警力.{0,4}(?:驱散|清场)|硬来|吓唬|威胁(?:他们|群众|村民))/g, '简单粗暴、激化矛盾'],
  // making records after the fact, procedure as a formality, residents told what to say
  [/(?:补(?:拍|填|写|做|签|记)(?:一些|一下|一份|个)?[^。,，;；]{0,6}(?:照片|记录|台账|材料|签字|名字)|签个字就|补个签字|走个形式|(?:程序|手续)(?:方面|上)?(?:的事)?(?:可以)?(?:后面|以后|事后|回头|之后)(?:再)?补|先上车后补票|(?:检查|上面|上级)[^。,，]{0,6}(?:说得过去|过得去)|打好招呼[^。]{0,16}(?:就说|说是|配合一下)|就说[^。,，]{0,10}(?:来过|到过|走访过))/g, '弄虚作假、走过场'],
  // keeping facts from the public, silencing those who ask
  [/(?:(?:账目|账|明细|资金|情况|结果|数据|具体)[^。,，]{0,6}(?:暂时|先|就)?不(?:要|宜|便|方便|用)(?:对外)?(?:一笔一笔[^。,，]{0,4})?公开|少公开为好|公开了反而|不要往外(?:说|讲|传)|删帖|把[^。]{0,12}(?:消息|视频|截图|帖子)[^。]{0,4}删(?:掉|除)|记下[^。,，]{0,4}名字|秋后算账|没必要[^。,，]{0,8}较真)/g, '回避或掩盖问题'],
  // the matter handed back to the residents or to other offices
  [/(?:(?:请|让|叫)(?:居民|群众|村民|他们|大家)?(?:自行|自己去)(?:联系|找|解决|处理|拨打)|(?:我们|村里|社区)(?:根本|也)?管不了|不能什么(?:事)?都揽|防止[^。,，]{0,8}被追责)/g, '推诿责任'],
  [/(?:打(?:个)?包票|(?:从|用)别的(?:项目|资金|钱)[^。]{0,8}(?:补|垫|出))/g, '违规承诺或通融'],
  // force and threats against the people who complain, filming stopped
  [/(?:杀一儆百|杀鸡儆猴|(?:把|将)(?:带头|闹事|起哄)的(?:人|村民|群众|居民)?[^。,，]{0,4}(?:带走|抓起来|控制起来)|(?:不准|不许)(?:他们|村民|群众|居民|大家)?(?:拍|录|发)(?:视频|照片|朋友圈|群)?)/g, '简单粗暴、激化矛盾'],
  // staying out of it, or waiting until it blows over
  [/(?:不(?:方便|便|好)插手|(?:等|过了)[^。,，]{0,6}风头[^。,，]{0,4}(?:过去|再说|再议)|拖一拖(?:再说)?)/g, '推诿责任'],
  // a show for the leaders instead of the work
  [/(?:(?:避免|别|不要|不能)让(?:领导|上面|上级|检查组)(?:看到|发现|知道)(?:问题|毛病|短板)?|露个脸|搞(?:个)?排场|面子工程|把场面搞(?:起来|大)|只(?:走|看|带)[^。,，]{0,6}(?:最好|好看)的)/g, '弄虚作假、走过场'],
  // figures written up ("报到率写高一点", "人数写得多一些"), paper that only has to show it
  [/(?:(?:写|报|填|记)得?(?:高|多|满|好看)(?:一)?(?:点|些)|(?:材料|台账|记录|报表)上?(?:能)?(?:体现|看得到|看到|有)(?:就行|就可以|就好))/g, '弄虚作假、走过场'],
];
const OTHERS_DOING = /(?:有的|有些|个别|一些|部分|少数)(?:地方|社区|村|干部|部门|单位|基层|领导|工作人员)/;
const CONDEMNED_AFTER = /(?:不对|错误|不可取|要不得|不允许|不应该|不能这样|必须纠正|坚决纠正|损害|违背|背离|违反|有害|危害|不正之风|形式主义|官僚主义)/;
// what the move is done to avoid ("先压下来,免得损害团结"): a reason for it, not a judgement against it
const REASON_BEFORE = /(?:免得|以免|避免|防止|不会|不致|不至于|省得)[^,，。]{0,4}$/;
// named as a kind of conduct ("对捂着压着的行为严肃处理", "捂着压着的根源在于……"), it is talked about, not done
const NAMED_AS_CONDUCT = /^[^,，。;；]{0,4}的(?:行为|现象|做法|问题|情况|倾向|风气|人|根源|原因|危害|后果|实质|本质|症结)/;
const NEGATION_BEFORE = /(?:不能|不会|不可|不应|不要|不得|绝不|决不|杜绝|防止|避免|拒绝|反对|禁止|严禁|而不是|不是|别|不)[^,，。；;]{0,6}$/;

export function wrongMoveOf(sentence: string): string | undefined {
  for (const [pattern, label] of WRONG_MOVES) {
    for (const match of sentence.matchAll(pattern)) {
      if (isOwnWrongMove(sentence, match.index ?? 0, match[0].length)) return label;
    }
  }
  return undefined;
}

/**
 * Not negated ("绝不能补填"), not told as what others do, named as a kind of conduct or judged
 * wrong ("有的地方出现了捂着压着的现象,这是不对的"): the candidate's criticism is not what they would do.
 */
function isOwnWrongMove(sentence: string, index: number, length: number): boolean {
  const before = sentence.slice(0, index);
  const clause = before.split(/[,，;；]/).pop() ?? '';
  const after = sentence.slice(index + length);
  return !NEGATION_BEFORE.test(before) && !OTHERS_DOING.test(clause) && !NAMED_AS_CONDUCT.test(after) && !judgedWrong(after);
}

/** "……,这是不对的": judged wrong, not a reason given for doing it ("先压下来,免得损害团结"). */
function judgedWrong(after: string): boolean {
  const judged = CONDEMNED_AFTER.exec(after);
  return judged !== null && !REASON_BEFORE.test(after.slice(0, judged.index));
}

/** Share of `a`'s character bigrams that also occur in `b`. */
export function containment(a: string, b: string): number {
  const grams = new Set(bigrams(a));
  if (grams.size === 0) return 0;
  const other = new Set(bigrams(b));
  let shared = 0;
  for (const gram of grams) if (other.has(gram)) shared += 1;
  return shared / grams.size;
}

/** A predicate among the words (jieba's verb, adjective or idiom tags): the mark of a sentence, not a list. */
function hasPredicate(text: string): boolean {
  const tagged = taggedWords(text);
  const content = tagged.filter(({ word }) => /[\p{L}\p{N}]/u.test(word));
  if (content.length < 3) return false;
  const predicates = content.filter(({ tag }) => /^(v|vn|vd|a|ad|l|i|d|p|c)$/.test(tag) || tag.startsWith('v')).length;
  // a list of nouns with one stray verb is still a list
  return predicates >= 2 || (predicates >= 1 && content.length <= 6);
}

// something a listener could check or picture: a number, a named practice, a tool, a place, a person
const CONCRETE_THING = /(\d|[二三四五六七八九十两几半]+(?:个|名|户|天|周|次|条|项|人|位|块|张|年|月|小时|分钟)|每(?:天|周|月|季度|半年|年|户|人|个)|当天|当场|第二天|一周内|限期|公示|公开栏|微信群|议事会|监事会|代表会议|两委|清单|台账|积分|补贴|热线|网格员|调解员|小组长|楼栋长|志愿者|老党员|书记|民警|派出所|物业|子女|亲戚|邻居|入户|上门|走访|座谈|问卷|电话|名单|方案|预案|会议室|广场|投影|照片|视频|[\u4e00-\u9fa5]{1,4}(?:村|社区|街道|镇|区|县|市)(?:的|里))/;

/** Three or more clauses built the same way ("坚持……,坚持……,坚持……"): 排比 that stands in for content. */
function isParallelSlogan(text: string): boolean {
  const clauses = text
    .split(/[,，、;；]/)
    .map((c) => c.trim().replace(/^(?:同时|并且|而且|此外)?(?:我们|我)?(?:也|还|更|一定|必须|要|会|将|应该|应当|努力)*/, ''))
    .filter((c) => c.length >= 2);
  if (clauses.length < 3) return false;
  const count = (key: (c: string) => string, among: string[]): number => {
    const heads = new Map<string, number>();
    for (const clause of among) heads.set(key(clause), (heads.get(key(clause)) ?? 0) + 1);
    return Math.max(...heads.values());
  };
  // the same two-character opening three times, or the same first character in three short clauses
  const short = clauses.filter((c) => c.length <= 8);
  return count((c) => c.slice(0, 2), clauses) >= 3 || (short.length >= 3 && count((c) => c.slice(0, 1), short) >= 3);
}

const CLAUSE_OPENING = /^(?:要|会|能|先|再|就|还|也|都|不|没|别|把|让|请|给|对|跟|和|从|在|我|你|他|她|咱|大家)/;

/** Short items strung together by spaces, 、 or commas ("党建引领 一核多元 网格化 清单 台账"): a list, not a sentence. */
function isTermList(text: string): boolean {
  const items = text.split(/[\s、,，;；]+/).map((item) => item.replace(/[。！？!?]$/, '')).filter(Boolean);
  if (items.length < 4) return false;
  // a short clause that opens like a clause (要先尊重、先了解、再商量) is a step said briefly, not a term
  const short = items.filter((item) => contentLength(item) <= 6 && !CLAUSE_OPENING.test(item)).length;
  return short / items.length >= 0.75;
}

function stripSelfIntro(text: string): { rest: string; intro: boolean } {
  const trimmed = text.trim();
  if (SELF_INTRO_WHOLE.test(trimmed)) return { rest: '', intro: true };
  const match = SELF_INTRO_CLAUSE.exec(trimmed);
  if (!match) return { rest: trimmed, intro: false };
  return { rest: trimmed.slice(match[0].length), intro: true };
}

export function analyzeAnswer(answer: string, stem: string): AnswerAnalysis {
  const stemText = normalizeForMatch(stem);
  let spoken = 0;
  let structuredChars = 0;
  const cliches: ClicheHit[] = [];
  const sentences: AnswerSentence[] = [];
  // a "sentence" of terms separated by spaces or 、 is split so that each run is judged alone
  const spans = splitSentences(answer.replace(/[ \t\u3000]{2,}/g, ' '));
  spans.forEach((span, index) => {
    const chars = contentLength(span.text);
    spoken += chars;
    const { rest, intro } = stripSelfIntro(span.text);
    const restWords = words(rest);
    const structured = rest.length > 0 && !isTermList(rest) && hasPredicate(rest);
    if (structured) structuredChars += chars;
    // idioms and set phrases (jieba's i / l) are how 套话 is built: they do not count as specific
    const idioms = new Set(taggedWords(rest).filter(({ tag }) => tag === 'i' || tag === 'l').map(({ word }) => word));
    // what is left once the 套话 is taken out is what the sentence says
    const unclichéd = clichesIn(rest, true).reduce((text, hit) => text.replace(hit.quote, ' '), rest);
    const specific = words(unclichéd).filter((w) => !GENERIC_WORDS.has(w) && !idioms.has(w) && !stemText.includes(normalizeForMatch(w)));
    const generic = specific.length === 0 || (isParallelSlogan(rest) && !CONCRETE_THING.test(rest));
    const hits = clichesIn(span.text, generic);
    cliches.push(...hits);
    sentences.push({
      index,
      text: span.text,
      words: restWords,
      structured,
      selfIntro: intro && contentLength(rest) < 4,
      restatesStem: contentLength(rest) > 0 && containment(rest, stem) > 0.7,
      generic,
      specifics: specific,
      cliched: hits.some((hit) => !hit.stock),
      concrete: CONCRETE_THING.test(rest),
      contradiction: wrongMoveOf(span.text),
      spokenChars: spoken,
    });
  });
  const contentChars = spoken;
  return {
    sentences,
    contentChars,
    structuredShare: contentChars === 0 ? 0 : structuredChars / contentChars,
    cliches: distinctCliches(cliches),
  };
}

/** The sentences the examiner hears: those that begin before `chars` content characters were spoken. */
export function heardWithin(sentences: AnswerSentence[], chars: number): AnswerSentence[] {
  return sentences.filter((s) => s.spokenChars - contentLength(s.text) < chars);
}

/** A sentence that can be credited with a key point. */
export function canEarn(sentence: AnswerSentence): boolean {
  return sentence.structured && !sentence.selfIntro && !sentence.restatesStem && !sentence.generic && !sentence.contradiction;
}
