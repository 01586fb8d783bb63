// The five structured-interview types, told apart by what the stem asks the candidate to do (its
// closing ask first, then the situation), and the moves an examiner looks for in each type
// (the scoring points of the official sheets: see ../shared/research on the structured interview).
import type { AnswerSentence } from './answer-analysis.ts';
import { canEarn } from './answer-analysis.ts';
import type { QuestionType } from './types.ts';

interface TypeRule {
  type: QuestionType;
  pattern: RegExp;
}

// Ordered: the first rule that matches decides. The explicit asks come before situation words,
// so "领导让你组织一次调研" is 组织管理 and "有人说……矛盾……对此你怎么看" is 综合分析.
// people the candidate works with, a person the stem names (老王, 小张), and signs of a falling-out
// (矛盾 in 矛盾纠纷调解中心 or 化解矛盾 is the work, not a falling-out)
const WORK_RELATION = /(?:同事|领导|上级|科长|处长|局长|老同志|前辈|下属|搭档|村干部|村支书|书记|主任|[老小][李王张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤])/;
const FALLING_OUT = /(?:擅自|自作主张|没(?:有)?(?:跟|和|与)你商量|不配合|不理解|抵触|顶撞|冷嘲热讽|误会|误解|对你有意见|有意见|不支持|推脱|推诿|冷淡|排斥|不同意|不太?(?:认可|满意|理解|配合|支持|信任)|否定|质疑|挑[^。？?]{0,4}毛病|(?:说|怪|赖)(?:是)?你|当众|当着[^。？?]{0,8}面|背后|议论|拖延|拖后腿|为由|刁难|冷落|抢功|出风头|不服|不满|(?<!化解|调解|调处|排查)矛盾(?!纠纷|调解|调处|化解|排查)|分歧|不吭声|没用)/;
// the candidate's own relation to someone: 觉得你, 对你, 你的下属, 你向领导
const PERSONAL_RELATION = /(?:(?:批评|指责|质问|冤枉|误解|埋怨)(?:了)?你|对你|跟你|和你|与你|给你|觉得你|认为你|嫌你|说你|你的(?:下属|同事|领导|搭档|上级|师傅)|你(?:向|跟|和|找|请)(?:领导|同事|上级|下属))/;

const RULES: TypeRule[] = [
  // a speech to someone: 请你现场模拟, 请你对/向……解释/劝说/发言, 讲几句话, 做一个表态发言
  { type: '现场模拟', pattern: /(?:请你?|现在请你?)(?:现场)?(?:模拟|演示|扮演)|现场模拟|开场(?:讲话|发言|致辞)|(?:假如|如果|假设)你是[^。？?]{1,30}(?:请你?)?(?:对|向|跟|给)[^。？?]{1,20}(?:说|讲|发言|讲话|解释|回应|动员|劝说|劝导|介绍|答复|讲解|说明|致辞|表态)|请(?:你)?(?:现场)?(?:在|对|向|跟|给)[^。？?]{1,24}(?:说几句|说一段|讲几句|讲一段|讲话|发言|解释|回应|劝说|劝导|动员|介绍|答复|讲解|做(?:个)?(?:解释|动员|说明))|请(?:你)?现场(?:向|对|跟|给)?[^。？?]{0,12}(?:解释|回应|劝说|劝导|说明|讲话|发言|答复|讲解)|现场(?:讲话|发言|致辞|回应)|开场白|请你?[^。？?]{0,10}致辞|现在(?:请你?)?开始|(?:做|作)(?:一个|一段|个|一次)?(?:表态发言|动员讲话|讲话|发言|致辞)|(?:给|向|对)[^。？?]{1,16}(?:做|作)(?:一个|一段|个|一次)?[^。？?,，]{0,6}(?:介绍|讲解|宣讲|发言|讲话)|(?:讲|说)几句话|(?:你会|你)(?:怎么|如何)(?:对|跟|向)[^。？?]{1,12}说/ },
  { type: '综合分析', pattern: /(?:对此|对这[种个一]?(?:现象|做法|观点|说法|问题)?)?你(?:是)?(?:怎么|如何)(?:看|理解|认识|评价)|谈谈(?:你的?)?(?:看法|理解|认识|观点|体会|感想)|你(?:的)?(?:看法|观点)(?:是什么|如何)|(?:有什么|谈谈|带来(?:了)?(?:哪些|什么)|给你(?:什么|哪些))启示|你(?:同意|赞同|认同)(?:这种|这个)?(?:观点|说法)吗|你认为(?:原因|根源)(?:是什么|何在)/ },
  // the ask itself: how would you organise / carry out …
  { type: '组织管理', pattern: /(?:你会|你将|你打算|你准备|你)?(?:怎么|如何|怎样)(?:组织|开展|策划|筹备|安排|推进|落实)(?:这次|这项|这场|好|此次)?|(?:调研|宣传|培训|活动)(?:工作)?(?:你会|你将)?(?:怎么|如何)(?:开展|组织|做)|请你?(?:策划|筹划)|(?:你的|工作)思路/ },
  // the ask itself: how would you talk to someone, bring them round, get on with them
  { type: '人际沟通', pattern: /(?:怎么|如何|怎样)(?:去)?(?:与|和|跟)[^。？?]{1,12}(?:沟通|相处|打交道|交流|谈)|(?:怎么|如何|怎样)(?:做|去做)[^。？?]{0,8}(?:的)?(?:思想)?工作|(?:让|请|由|派)你(?:去)?(?:做|找)[^。？?]{1,10}(?:的)?(?:思想)?工作|(?:怎么|如何)(?:处理|化解)(?:好)?[^。？?]{0,8}(?:关系|分歧)|怎么沟通|如何沟通|(?:你会|你)怎么想/ },
  { type: '应急应变', pattern: /(?:现场|突发|突然|情绪激动|激动|围堵|围住|聚集|冲突|闹事|吵起来|打起来|堵(?:在|住)|上访|舆情|发酵|热搜|视频[^。]{0,6}(?:传|转|发)|转发|直播|紧急|事故|故障|停电|受伤|晕倒|起火|着火|火灾|暴雨|洪水|进水|积水|被困|受困|险情|坍塌|塌方|滑坡|中毒|急救|围观|拍视频|扬言|信访|此时|这时候?|正在这时|马上就要|即将开始)/ },
  // someone you work with or serve, and a falling-out anywhere in the stem
  { type: '人际沟通', pattern: new RegExp(`^(?=.*${WORK_RELATION.source})(?=.*${FALLING_OUT.source})`) },
  { type: '人际沟通', pattern: /(?:同事|领导|上级|老同志|前辈|下属|搭档|村支书|书记|主任|群众|居民|村民|家属|商户|老人)[^。？?]{0,16}(?:不理解|不配合|不支持|不认可|不信任|有意见|有看法|误会|误解|抵触|不满|抱怨|推脱|推诿|冷淡|排斥|质疑|不服|顶撞|冷嘲热讽|擅自|自作主张|没(?:有)?(?:跟|和|与)你商量|不听|拒绝)/ },
  // the situation only: a task handed to you
  { type: '组织管理', pattern: /(?:由你|让你|请你|交给你|安排你|你来|你具体)[^。？?]{0,12}(?:组织|开展|策划|筹备|举办|牵头|负责|摸底|调研|排查)|负责(?:具体)?(?:组织|筹备|实施)|(?:组织|开展|策划|筹备|举办)(?:一次|一场|一项|一期)/ },
];

/** Reads the type from the stem's structure; 综合分析 when nothing tells otherwise. */
export function detectQuestionType(stem: string): QuestionType {
  const text = stem.replace(/\s+/g, '');
  // the closing ask decides: look at the last sentence first, then the whole stem
  const sentences = text.split(/(?<=[。？?！!])/).filter(Boolean);
  const last = sentences.slice(-2).join('');
  for (const scope of [last, text]) for (const rule of RULES) if (rule.pattern.test(scope)) return rule.type;
  // "你怎么办/怎么处理" with nothing else to tell: about someone's attitude to you, how you get on
  // with them; otherwise a situation to handle
  const ask = /(?:怎么办|怎么处理|如何处理|怎么做|如何应对|怎么应对)/.test(last);
  if (ask && PERSONAL_RELATION.test(text)) return '人际沟通';
  return ask ? '应急应变' : '综合分析';
}

/** A move the examiner looks for in every answer of a type, with the words that show it. */
export interface TypeMove {
  id: string;
  point: string;
  weight: number;
  markers: RegExp;
}

/**
 * How candidates make a move in their own words, without the examiner's terms: 好处是/管用 for the
 * value of a practice, 怪我/我们工作没做到位 for reflecting on oneself, 比如/讲个真事 for the reasons
 * in a speech. General spoken forms of each move, not taken from any one question.
 */
export const SPOKEN_MOVES: Record<string, RegExp> = {
  '综合分析/value': /(?:管用|见效|起作用|解决了|改观|带动|激发|调动|看得见|实实在在|出发点是好的|本意|方向(?:是)?对|肯定)/,
  '综合分析/close': /(?:所以说|才能真正|真正(?:让|把|做到)|关键(?:在于|是)|一句话|落脚点|说白了)/,
  '组织管理/purpose': /(?:要达到|想要|希望通过|为的是|就是要|不是为了|让(?:大家|村民|居民|群众|老人|他们)(?:真正|都|能))/,
  '应急应变/verify': /(?:问清|问明|了解[^。]{0,6}(?:原因|情况|经过|诉求|困难)|搞清楚|弄明白|查一查|到现场|实地|先看看|排查)/,
  '人际沟通/reflect': /(?:我(?:也)?有(?:责任|不对|疏忽|不足)|怪我|我先(?:道歉|检讨)|对不起|道歉|是我们(?:的)?(?:工作|失误|疏忽)|我们(?:的)?工作(?:没|有)(?:做好|做到位|疏漏)|先找自己|我自己也)/,
  '人际沟通/principle': /(?:不能因为|按(?:程序|流程|规矩|标准)|一视同仁|公平|不搞特殊|该怎么办就怎么办|不能破例)/,
  '人际沟通/task': /(?:工作(?:不能|不会)(?:停|耽误)|按时|如期|进度|不耽误|落到实处|办好|办成|做完)/,
  '人际沟通/relationship': /(?:平时|常(?:去|来|联系)|多(?:走动|交流|来往)|交心|心结|解开)/,
  '现场模拟/empathy': /(?:心里|不容易|放心|关心|委屈|发愁|难处|怕|心情|感受|心疼|我知道|能体会|将心比心|舒心)/,
  '现场模拟/basis': /(?:比如|例如|举个例子|讲个事|真事|案例|上个月|去年|算一笔账|算笔账|为啥|为什么|道理|事实)/,
};

export const TYPE_MOVES: Record<QuestionType, TypeMove[]> = {
  综合分析: [
    { id: 'stance', point: '亮明观点,点出问题实质', weight: 1, markers: /(认为|觉得|看来|我的看法|实质|本质|说到底|归根到底|反映出|说明了|值得肯定|不可取|不能简单)/ },
    { id: 'value', point: '肯定其意义或积极一面', weight: 2, markers: /(意义|作用|价值|好处|初衷|积极|有利于|有助于|好机制|好做法|值得)/ },
    { id: 'causes', point: '分析原因和根源', weight: 2, markers: /(原因|根源|根子|在于|导致|造成|之所以|症结|源于|出在|因为|由于|为什么|为何|说明了|背后)/ },
    { id: 'risks', point: '辩证看到问题、风险或不足', weight: 2, markers: /(但是|但|然而|不过|同时也|也要看到|问题是|不足|风险|弊端|隐患|走偏|变味|走样|异化|反而|担心|容易)/ },
    { id: 'measures', point: '提出对应原因的具体对策', weight: 3, markers: /(建议|对策|措施|办法|着手|入手|应当|应该|要|可以|需要|必须|第一|第二|一是|二是|首先|其次)[^。]{0,16}(建立|完善|健全|推行|引导|培育|整合|下放|明确|规范|公开|落实|设立|畅通|改|定|由|让|把|从|加大|减少|拿出|吸纳|纳入|评|组织|开展)/ },
    { id: 'close', point: '总结升华或长效机制', weight: 1, markers: /(总之|总的来说|归根结底|归根到底|说到底|只有.{1,24}才|长远|长效|最终|这样才能|这样就能|目的是)/ },
  ],
  组织管理: [
    { id: 'purpose', point: '讲清目的意义', weight: 1, markers: /(目的|目标|意义|为了|初衷|出发点)/ },
    { id: 'prepare', point: '摸底准备:了解情况、定方案、备人财物', weight: 3, markers: /(调研|摸底|了解|走访|问卷|方案|计划|预案|经费|场地|物资|名单|通知)/ },
    { id: 'division', point: '分工与方式:谁来做、用什么形式', weight: 2, markers: /(分工|小组|专人|负责|分成|形式|方式|渠道|线上|线下|座谈|入户|宣讲|邀请|联系)/ },
    { id: 'focus', point: '实施中的重点难点和细节', weight: 3, markers: /(重点|难点|关键|特别|尤其|注意|细节|如果.{0,12}(不|没)|遇到|针对)/ },
    { id: 'feedback', point: '总结反馈与长效机制', weight: 2, markers: /(总结|反馈|评估|复盘|回访|满意度|长效|制度化|常态化|机制|下一步|改进)/ },
  ],
  应急应变: [
    { id: 'control', point: '先稳控现场、保障人身安全', weight: 3, markers: /(安全|受伤|送医|隔开|控制|稳住|稳定|安抚|冷静|疏导|劝离|停下|暂停|维持秩序|先把)/ },
    { id: 'verify', point: '核实情况、查明原因', weight: 2, markers: /(核实|了解情况|调查|查明|问清|查看|调取|弄清|摸清|原因)/ },
    { id: 'handle', point: '分类处置、回应诉求', weight: 3, markers: /(诉求|代表|倾听|登记|解释|说明|答复|分类|区分|合理|协商|解决)/ },
    { id: 'report', point: '及时汇报、联动相关部门', weight: 2, markers: /(汇报|请示|上报|报告|联系|通知|派出所|民警|110|120|部门)/ },
    { id: 'inform', point: '信息公开与舆情回应', weight: 1, markers: /(舆情|网上|媒体|回应|发布|澄清|公开|公示|通报)/ },
    { id: 'prevent', point: '复盘整改、建立长效预防', weight: 2, markers: /(长效|预防|机制|复盘|排查|整改|杜绝|再次发生|以后|今后|预案)/ },
  ],
  人际沟通: [
    { id: 'reflect', point: '先反思自身', weight: 2, markers: /(反思|自身|我自己|是不是我|检查自己|先从自己|承认|没做好|不到位|我的问题|方式不对)/ },
    { id: 'understand', point: '理解对方的处境和顾虑', weight: 2, markers: /(理解|尊重|换位|耐心|体谅|顾虑|担心|难处|出发点|感受)/ },
    { id: 'approach', point: '具体的沟通方法和场合', weight: 3, markers: /(私下|当面|单独|请教|倾听|主动|上门|谈心|交流|沟通|征求|商量|请.{0,6}帮忙)/ },
    { id: 'principle', point: '坚持原则、依规办事', weight: 2, markers: /(原则|规定|政策|制度|纪律|底线|程序|依法|按规矩)/ },
    { id: 'task', point: '把工作完成好', weight: 2, markers: /(完成|推进|落实|工作任务|把工作|办好|办成|效果)/ },
    { id: 'relationship', point: '维护长期关系与信任', weight: 1, markers: /(关系|信任|团结|今后|以后|长期|经常|多沟通)/ },
  ],
  现场模拟: [
    { id: 'address', point: '进入角色、称呼对象', weight: 1, markers: /(大家好|各位|您好|您|咱们|乡亲们|居民朋友|叔叔|阿姨|大爷|大妈|师傅)/ },
    { id: 'empathy', point: '表达理解、回应情绪', weight: 2, markers: /(理解|明白|体谅|辛苦|感谢|抱歉|着急|担心|心情)/ },
    { id: 'basis', point: '讲清依据和道理', weight: 3, markers: /(政策|规定|依据|标准|程序|因为|原因|之所以|好处|意义)/ },
    { id: 'promise', point: '给出具体承诺和时限', weight: 3, markers: /(我们会|我会|保证|承诺|马上|今天|明天|三天|一周|限期|之内|负责)/ },
    { id: 'channel', point: '留下沟通渠道、欢迎监督', weight: 1, markers: /(意见|建议|欢迎|随时|电话|联系|监督|反馈)/ },
  ],
};

/**
 * The type's moves made by sentences that can earn, each move once: fully when a sentence makes it
 * concretely (who, what, when, with what), half when it only names it.
 */
export interface MoveResult {
  move: TypeMove;
  /** the sentence that makes it */
  sentence?: string;
  /** 1 made concretely, 0.5 only named, 0 not made */
  depth: number;
}

export function movesMade(type: QuestionType, sentences: AnswerSentence[]): MoveResult[] {
  const earning = sentences.filter(canEarn);
  return TYPE_MOVES[type].map((move) => {
    const spoken = SPOKEN_MOVES[`${type}/${move.id}`];
    const making = earning.filter((s) => move.markers.test(s.text) || (spoken?.test(s.text) ?? false));
    const concrete = making.find((s) => s.concrete);
    const sentence = concrete ?? making[0];
    return { move, sentence: sentence?.text, depth: concrete ? 1 : sentence ? 0.5 : 0 };
  });
}
