import { describe, expect, it } from 'vitest';
import { detectQuestionType, loadBank, questionFromText, scoreOffline } from '../../src/interview/index.ts';
import { analyzeAnswer } from '../../src/interview/answer-analysis.ts';
import { movesMade } from '../../src/interview/question-type.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

describe('question type read from the stem', () => {
  it('agrees with the bank on most of its stems', () => {
    const bank = loadBank();
    const agree = bank.filter((q) => detectQuestionType(q.stem) === q.type).length;
    expect(agree / bank.length).toBeGreaterThanOrEqual(0.9);
  });

  it('reads the ask before the situation words', () => {
    expect(detectQuestionType('有人说基层矛盾多是因为领导不重视。对此你怎么看?')).toBe('综合分析');
    expect(detectQuestionType('领导让你组织一次关于老旧小区改造的调研,你会怎么开展?')).toBe('组织管理');
    expect(detectQuestionType('你在窗口值班时,一位群众情绪激动,拍桌子要求马上办理。你怎么办?')).toBe('应急应变');
    expect(detectQuestionType('同事对你的工作方式有意见,在会上当众质疑你。你会怎么和他沟通?')).toBe('人际沟通');
    expect(detectQuestionType('假如你是社区书记,请你对前来反映问题的居民说几句话。')).toBe('现场模拟');
  });

  it('takes an explicit ask to talk someone round before the situation words around it', () => {
    // 起火 and 扬言 describe the situation; the ask is a conversation
    expect(detectQuestionType('邻居们多次投诉,担心起火。你是社区工作人员,怎么沟通?')).toBe('人际沟通');
    expect(detectQuestionType('物业公司扬言要撤场。你负责协调此事,怎么和老周沟通?')).toBe('人际沟通');
    expect(detectQuestionType('老王不同意,还说要去上访。村支书让你去做老王的工作,你怎么做?')).toBe('人际沟通');
  });

  it('reads a falling-out with the people one works with, or their attitude to the candidate, as 人际沟通', () => {
    expect(detectQuestionType('你负责的项目需要其他科室配合,但对方科长总是以工作忙为由推脱。你会怎么做?')).toBe('人际沟通');
    expect(detectQuestionType('同事在背后说你的坏话,被你听到了。你怎么办?')).toBe('人际沟通');
    expect(detectQuestionType('你的下属工作积极性不高,经常迟到早退,你怎么处理?')).toBe('人际沟通');
    expect(detectQuestionType('领导在会上批评了你,但其实错误是别人造成的。你怎么办?')).toBe('人际沟通');
    // a check by the 上级 is no falling-out with anyone
    expect(detectQuestionType('明天上级要来检查,你发现系统里的数据和实际不符。你怎么办?')).toBe('应急应变');
  });

  it('reads any speech the candidate is asked to give as 现场模拟', () => {
    expect(detectQuestionType('一位群众来窗口办事,因为材料不全很着急,请你现场向他解释。')).toBe('现场模拟');
    expect(detectQuestionType('你是新任的村党支部书记,请在第一次村民大会上做一个表态发言。')).toBe('现场模拟');
    expect(detectQuestionType('社区要推行垃圾分类,请你在居民大会上讲几句话,动员大家参与。')).toBe('现场模拟');
    expect(detectQuestionType('请你以网格员的身份,给新入住的居民做一个简短的社区介绍。')).toBe('现场模拟');
    expect(detectQuestionType('你是社区书记,在新春团拜会上请你致辞。')).toBe('现场模拟');
    // "现场" here is the speech, not an emergency on the spot
    expect(detectQuestionType('居民质疑公共收益“钱去哪了”。社区召开居民议事会,请你以社区党委书记的身份,现场模拟会议开场讲话。')).toBe('现场模拟');
  });

  it('reads a task with 你的思路 or 摸底 handed to the candidate as 组织管理', () => {
    expect(detectQuestionType('社区要开办一期技能培训班,交给你来办,请谈谈你的思路。')).toBe('组织管理');
    expect(detectQuestionType('领导让你摸底全镇村级集体经济的发展情况,形成报告。你怎么完成?')).toBe('组织管理');
    // 矛盾 in the name of a 矛盾纠纷 centre is the work handed over, not a falling-out with 领导
    expect(detectQuestionType('镇里新成立了矛盾纠纷多元化解中心,来的群众很少。领导把中心交给你负责,只给一个月时间。如果只能先做三件事,你选哪三件?为什么这样排序?')).toBe('组织管理');
    expect(detectQuestionType('同事老张和你因为分工闹了矛盾,见面也不打招呼。你怎么办?')).toBe('人际沟通');
  });
});

describe('the type’s moves', () => {
  const made = (type: Parameters<typeof movesMade>[0], text: string): string[] =>
    movesMade(type, analyzeAnswer(text, '').sentences)
      .filter((m) => m.depth > 0)
      .map((m) => m.move.id);

  it('are made in the candidate’s own words too, without the examiner’s terms', () => {
    // a story told to make the case, and what the listeners feel, in a speech
    expect(made('现场模拟', '我跟大家讲一件真事,上个月咱们小区的王大爷被人骗走了两万多块钱。')).toContain('basis');
    expect(made('现场模拟', '我知道大家心里都有顾虑,怕花了钱又没效果。')).toContain('empathy');
    // owning one's part in a falling-out
    expect(made('人际沟通', '这件事首先怪我,我们的工作没做到位,老人摔倒两天才被发现。')).toContain('reflect');
    // the good of a practice, said plainly
    expect(made('综合分析', '积分超市在不少村确实管用,村容村貌有了明显改观。')).toContain('value');
  });
});

describe('a question the candidate brings', () => {
  it('is scored on the type moves and essay points found with its core phrases, and a strong answer can reach 好', async () => {
    const { retriever } = await sharedIndex();
    const stem = '村里开村民议事会,33名成员只来了7个人,很多村民觉得“说了也白说”。领导让你想办法提高村民参与村务的积极性,你会怎么组织?';
    const question = await questionFromText(stem, retriever);
    expect(question.type).toBe('组织管理');
    expect(question.keyPoints.length).toBeGreaterThan(0);
    const strong = loadBank().find((q) => q.id === 'zz-02')!.modelAnswer!;
    const review = await scoreOffline(question, strong, { retriever, typeSource: 'detected' });
    expect(review.typeSource).toBe('detected');
    expect(review.moves?.length).toBeGreaterThan(0);
    expect(review.total).toBeGreaterThan(60);
    const weak = await scoreOffline(question, '我觉得要加强宣传,提高大家的认识,让大家都来参加,这样工作就好做了。我们一定高度重视。', { retriever });
    expect(weak.band).toBe('差');
  });

  it('takes no essay point for a topic the essays do not cover: sharing 社区 and 负责 is not enough', async () => {
    const { retriever } = await sharedIndex();
    const canteen = await questionFromText('社区要建一个长者食堂,由你负责前期筹备,你会怎么组织?', retriever);
    expect(canteen.keyPoints).toEqual([]);
    const council = await questionFromText('村里要开村民议事会讨论修路,很多村民不愿意来,你怎么组织?', retriever);
    expect(council.keyPoints.some((p) => p.evidence?.includes('议事会'))).toBe(true);
  });

  it('lets the candidate correct the type', async () => {
    const { retriever } = await sharedIndex();
    const question = await questionFromText('社区要开展垃圾分类宣传,你怎么看?', retriever, '组织管理');
    expect(question.type).toBe('组织管理');
  });
});
