import { describe, expect, it } from 'vitest';
import { detectQuestionType, loadBank, questionFromText, scoreOffline } from '../../src/interview/index.ts';
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

  it('lets the candidate correct the type', async () => {
    const { retriever } = await sharedIndex();
    const question = await questionFromText('社区要开展垃圾分类宣传,你怎么看?', retriever, '组织管理');
    expect(question.type).toBe('组织管理');
  });
});
