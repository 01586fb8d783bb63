import { describe, expect, it } from 'vitest';
import { scoreFollowUp, scoreOffline } from '../../src/interview/index.ts';
import { questionFromText } from '../../src/interview/adhoc.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

describe('the 追问 of a question of the candidate’s own', () => {
  it('is scored against the step of the type it asks about', async () => {
    const { retriever } = await sharedIndex();
    const question = await questionFromText('有人说,村里的事让干部拍板效率最高,让村民议来议去只会耽误事。对此你怎么看?', retriever);
    // an answer with measures but no reasons: the 追问 asks for them
    const answer = [
      '我认为村里的事不能只让干部拍板。这种说法的出发点是好的,干部拍板确实有利于提高效率。',
      '第一,要建立村民议事会,涉及群众切身利益的事先由议事会商量,村民代表会议最终审定。',
      '第二,要把公服资金的使用明细定期公开,由村务监督委员会跟踪落实。',
      '第三,要给议事会成员适当的误工补贴,让愿意出力的人不吃亏。',
      '总之,只有让群众参与进来,村里的事才能办得又快又好。',
    ].join('');
    const review = await scoreOffline(question, answer, { retriever });
    expect(review.followUp).toMatch(/“分析原因和根源”/);
    const deps = { retriever };
    const reasons = '之所以会有这种说法,原因在于过去议事会开会走过场,群众说了也白说,干部也嫌程序麻烦。根子在于信息不公开,群众不信任。';
    const made = await scoreFollowUp(question, review.misses.map((m) => m.pointId), review.followUp!, reasons, deps);
    expect(made.covered.map((c) => c.point)).toEqual(['分析原因和根源']);
    expect(made.remaining).toEqual([]);
    const notMade = await scoreFollowUp(question, review.misses.map((m) => m.pointId), review.followUp!, '我会继续加强宣传,让大家都来参加议事会。', deps);
    expect(notMade.covered).toEqual([]);
    expect(notMade.remaining).toEqual(['分析原因和根源']);
  });
});
