import { describe, expect, it } from 'vitest';
import { formStrength, questionForm, type QuestionForm } from '../../src/answer/question-form.ts';

const CASES: Record<QuestionForm, string[]> = {
  define: [
    '社会治理是什么?',
    '什么是网格化管理?',
    '“两定一查”是啥?',
    '复合化的结构是什么意思?',
    '人本化的目标指什么?',
    '一核多元啥意思',
    '社会治理的含义',
    '如何理解“一核多元,合作共治”?',
    '“四增两减”指的是什么?',
    '何谓基层治理现代化?',
    '村民议事会是干什么的?',
    '什么叫“小微权力清单”?',
    '基层治理体系的内涵是什么?',
    '佛山探索的是什么模式?',
    '“民生110”是怎么回事?',
    '什么是“两定一查”工作方法?',
  ],
  list: [
    '农村基层治理体制机制存在哪些问题?',
    '北辰区的基层治理经验是什么?',
    '社会治理有什么特点?',
    '社会治理的特点是什么?',
    '党员分为哪几类?',
    '基层党建的引领作用有几类?',
    '青白江农村基层治理面临什么困境?',
    '主要表现在哪几个方面?',
    '青白江基层治理有啥经验?',
    '芦篙村和杏花村取得了哪些成效?',
    '社会治理包括哪几个方面?',
    '朝阳里社区志愿服务有什么亮点?',
    '党建引领给了我们哪些启示',
  ],
  how: [
    '村干部队伍年龄老化、青黄不接怎么办?',
    '天津市怎样用网格化管理服务社区居民?',
    '如何提高基层党组织的治理能力?',
    '那具体怎么做?',
    '村干部老化咋整',
    '后备干部不够咋弄?',
    '群众不愿意参与,有啥招?',
    '解决权责不对称有哪些措施?',
    '征地拆迁的矛盾有什么好办法?',
    '应对人口外流的对策是什么?',
    '怎样才能激发社会组织活力?',
    '鹅公镇怎么培养村级后备干部?',
    '提升农村治理水平的路径有哪些?',
    '天津在社工队伍建设上有哪些做法?',
  ],
  why: [
    '为什么要发展农村新型社会服务组织?',
    '农村基层治理体制机制创新不足的原因是什么?',
    '为啥村干部队伍不稳定?',
    '乡村治理难以推进的症结在哪里?',
    '何以出现“无人可选”的局面?',
    '村民自治为何出现“无人可选”?',
    '是什么导致民主管理主体缺失?',
    '基层政府职能划分不清的根源是什么?',
    '社会组织为什么活力不足?',
    '芦篙村征地拆迁为什么顺利?',
    '为什么是党建引领?',
    '农村人才流失是什么原因造成的?',
  ],
  compare: [
    '芦篙村和杏花村的做法有什么区别?',
    '各篇文章对村干部培训的看法有什么不同?',
    '社会管理与社会治理的异同',
    '管理和治理有何不同?',
    '对比一下天津和北辰的做法',
    '篇八和篇十一有什么差别?',
    '管理型治理和服务型治理不一样在哪?',
    '和传统社会管理相比,社会治理有哪些变化?',
    '几篇文章对党建引领的看法一样吗?',
    '各篇文章都怎么说村民自治?',
  ],
  other: [
    '十八届三中全会是什么时候提出社会治理的?',
    '芦稿村在什么地方?',
    '北辰区的治理效果怎么样?',
    '朝阳里社区有多少注册志愿者?',
    '杏花村有多少户?',
    '文章的作者是谁?',
    '推荐一部最近好看的电影吧',
    '你好',
    '邵武市是哪个省的?',
    '什么时间开始搞网格化管理的?',
  ],
};

describe('questionForm', () => {
  for (const [form, questions] of Object.entries(CASES) as Array<[QuestionForm, string[]]>) {
    it(`recognises ${form} questions`, () => {
      for (const question of questions) expect(questionForm(question), question).toBe(form);
    });
  }

  it('ignores whitespace between the words', () => {
    expect(questionForm('社会治理 是 什么')).toBe('define');
    expect(questionForm('村干部老化 怎么 办')).toBe('how');
  });
});

describe('formStrength', () => {
  it('finds definitions of the asked-about term, not of another one', () => {
    const text = '社会治理的复合化结构,是指社会治理的结构覆盖全社会的方方面面,形成了一个自主互动的治理网络。';
    expect(formStrength('define', text, ['复合化', '结构'])).toBe(1);
    expect(formStrength('define', text, ['社会治理'])).toBeLessThan(0.5);
    expect(formStrength('define', '所谓网格化管理,就是把社区划成若干网格。', ['网格化'])).toBe(1);
    expect(formStrength('define', '天津市以满足群众的需求为导向,建立社区网格化管理体系。', ['网格化'])).toBe(0);
  });

  it('finds enumerations, but not names that happen to contain 、', () => {
    expect(formStrength('list', '一是保障基层群众权益不足。', [])).toBeGreaterThanOrEqual(0.5);
    expect(formStrength('list', '政府虽然采取了许多方法,但仍存在着明显不足:一是条状放权,造成阻碍。二是产品被切割。', [])).toBe(1);
    expect(formStrength('list', '要加强政治建设、思想建设、组织建设、作风建设等六项建设。', [])).toBeGreaterThanOrEqual(0.8);
    expect(formStrength('list', '天津市北辰区“一核引领、一网覆盖、六治融合”的创新实践取得了成效。', [])).toBe(0);
  });

  it('finds measures and causes', () => {
    expect(formStrength('how', '一是要充分发挥基层党组织的战斗堡垒作用。', [])).toBeGreaterThanOrEqual(0.5);
    expect(formStrength('how', '北辰区是天津环城四区之一,是典型的城乡结合地区。', [])).toBe(0);
    expect(formStrength('why', '农村基层治理体制机制创新不足的主要原因是,农村基层资源和人口的短缺。', [])).toBe(1);
    expect(formStrength('why', '由于政策、资金等问题,基层民主治理面临着一些现实问题。', [])).toBeGreaterThanOrEqual(0.5);
    expect(formStrength('why', '天津市建立社区网格化管理体系。', [])).toBe(0);
  });
});
