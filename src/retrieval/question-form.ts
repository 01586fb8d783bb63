// What kind of answer a question asks for (a definition, a list, measures, causes, a
// comparison), from the question's wording alone. Retrieval needs it (a comparison is judged over
// two essays) and so does the answer layer (which sentences answer the form); both import it from
// here. Input is simplified Chinese (traditional characters are converted upstream).

export type QuestionForm = 'define' | 'list' | 'how' | 'why' | 'compare' | 'other';

const COMPARE =
  /区别|异同|差别|差异|不同之处|不同点|相同点|共同点|相同之处|有何不同|有什么不同|有啥不同|哪些不同|什么不同|不一样|一样吗|相同吗|对比|比较一下|比一比|各篇|各文|几篇文章|两篇文章|每篇文章|(和|与|跟|同).{1,16}(比较|相比|比起来)/;

// asks what a term means; beats the other forms ("什么是两定一查工作方法?" is not a how question)
const DEFINE_STRONG =
  /(?<!为)什么是|(?<!为)啥是|什么叫|啥叫|何为|何谓|什么意思|啥意思|是指什么|指的是什么|指什么|指啥|含义|涵义|定义|内涵|概念|怎么回事|咋回事|(如何|怎么|怎样|咋)(理解|解释|界定)|是干(什么|啥)的|是做什么的|是个?啥(玩意|东西)/;

const WHY =
  /为什么|为啥|为何|何以|怎么会|咋会|咋就|怎么就|凭什么|凭啥|原因|缘故|缘由|根源|成因|症结|因为什么|(什么|啥|哪些)(因素)?(造成|导致|引起|引发)/;

const HOW =
  /怎么办|咋办|(怎么|怎样|如何|咋)(做|干|弄|整|搞|办|抓|处理|解决|应对|落实|推进|开展|实现|提高|提升|加强|改进|破解|化解)|(怎么样|怎样|如何|怎么)才能|如何|怎样(?![的子])|怎么(?!样|回事|会|理解|看|说|讲|就)|咋(?!样|回事|会|说|讲|就)|(有|出)(啥|什么|哪些)(好)?(招|高招|妙招|点子)|啥招|措施|办法|对策|举措|路径|途径|方法|建议|做法|手段|出路|抓手|着力点|思路/;

const LIST =
  /哪些|哪几|几类|几个方面|几方面|几种|几点|几项|几条|几个|多少种|包括什么|包括啥|包括哪|包含什么|包含哪|分为|分成|都有什么|都有啥|有什么|有啥|列举|列出|(什么|啥)(样的)?(问题|困难|经验|特点|特征|启示|表现|成效|困境|难题|挑战|矛盾|变化)/;

// "X的经验是什么" asks for several things, not a definition
const LIST_HEAD =
  /(经验|问题|特点|特征|启示|表现|成效|成果|成绩|困境|难题|挑战|任务|要求|作用|原则|内容|方面|类型|种类|环节|亮点|优势|不足|短板|变化|转变)(都|分别|主要|具体)?(是|有)(什么|啥|哪些)/;

const DEFINE = /是什么|是啥|是个啥|是怎样的|是什么样|是指|指的是|意思/;

// "什么时候", "什么地方" ask for a time or place, not a definition
const NOT_A_THING = /(什么|啥)(时候|时间|地方|年代|年份|人|时)/g;

export function questionForm(question: string): QuestionForm {
  const q = question.replace(/\s+/g, '').replace(NOT_A_THING, '□');
  if (COMPARE.test(q)) return 'compare';
  if (DEFINE_STRONG.test(q)) return 'define';
  if (WHY.test(q)) return 'why';
  if (LIST_HEAD.test(q)) return 'list';
  if (HOW.test(q)) return 'how';
  if (LIST.test(q)) return 'list';
  if (DEFINE.test(q)) return 'define';
  return 'other';
}

/** Does the question ask about significance (then "具有重要意义" is an answer, not filler)? */
export function asksSignificance(question: string): boolean {
  return /意义|价值|作用|重要性|好处|必要性/.test(question);
}
