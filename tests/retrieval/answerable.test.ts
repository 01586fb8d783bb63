import { describe, expect, it } from 'vitest';
import { abbreviationListed, askingPart, countUnitOf, figureGiven, figureKindOf, figureSubjectOf, figureUnitOf, listLength, namedListGiven, placeUnitOf, quotedNames, setListed, setQuestionOf } from '../../src/retrieval/answerable.ts';

describe('questions that ask for the members of a counted set', () => {
  it('reads the size and the name of the set', () => {
    expect(setQuestionOf('北辰区“六治融合”里的“六治”具体是哪六治?')).toEqual({ size: 6, anchors: ['六治融合', '六治'] });
    expect(setQuestionOf('这四类分别是啥?')?.size).toBe(4);
    expect(setQuestionOf('党的建设包括哪几个方面?')).toBeUndefined();
    expect(setQuestionOf('村干部待遇低怎么办?')).toBeUndefined();
    // 第二条 says which item, not how many there are
    expect(setQuestionOf('请问第一条,第二条启示分别讲的是什么?')).toBeUndefined();
  });

  it('is answered only by a list of about that many items right after the name', () => {
    const set = setQuestionOf('“六治”具体是哪六治?')!;
    expect(setListed(set, ['北辰区推行“六治融合”,即政治、自治、法治、德治、智治、共治相融合。'])).toBe(true);
    // named, but not listed: the essays only give the label
    expect(setListed(set, ['北辰区探索了一核引领、一网覆盖、六治融合的治理体系,取得成效。'])).toBe(false);
    expect(setListed(set, ['没有这个说法。甲、乙、丙、丁、戊、己。'])).toBe(false);
  });

  it('finds a numbered abbreviation in the list of items that share its character', () => {
    const passage = '努力实现“待遇制度化、经费保障化、工作专职化、服务常态化”的目标。';
    expect(abbreviationListed('四化', passage)).toBe(true);
    expect(abbreviationListed('三认', '开展了党员“认岗、认亲、认难题”活动。')).toBe(true);
    expect(abbreviationListed('五化', passage)).toBe(false);
    expect(abbreviationListed('三认', '党员认真学习、认领岗位。')).toBe(false);
    expect(setListed(setQuestionOf('鹅公镇要实现的“四化”是哪四化?')!, [passage])).toBe(true);
  });

  it('answers "what comes after the items named" with the list that holds them', () => {
    const set = setQuestionOf('区里那套“三级授权”“五权界限”后面还有哪两个?')!;
    const passage = '探索出“三级授权”、“五权界限”、“四步决策”、“四种监督”的基层治理体系。';
    expect(setListed(set, [passage])).toBe(true);
    expect(setListed(setQuestionOf('“五权界限”指的是哪五种权力?')!, [passage])).toBe(false);
  });

  it('does not take a list in the next paragraph for the members announced before it', () => {
    const set = setQuestionOf('引领作用分成四类,是哪四类?')!;
    const announced = '由大到小将其大体分为四类:\n\n这实际上反映了一些党组织还存在误读、疑惑、畏难,甚至手足无措。';
    expect(setListed(set, [announced])).toBe(false);
    const setOut = '由大到小将其大体分为四类:\n1.全面引领型。\n2.重点引领型。\n3.一般引领型。\n4.弱化型。';
    expect(setListed(set, [setOut])).toBe(true);
  });

  it('does not take the question’s own counting words for the set’s name', () => {
    expect(setQuestionOf('“三会一课”里的“三会”指的是哪三个会?')?.anchors).toEqual(['三会一课', '三会']);
  });

  it('does not take a list the name is one item of for its members', () => {
    const set = setQuestionOf('青白江的“五权界限”到底划的是哪五种权?')!;
    expect(setListed(set, ['探索出“三级授权”、“五权界限”、“四步决策”、“四种监督”的基层治理体系,取得初步成效。'])).toBe(false);
    expect(setListed(set, ['“五权界限”即决策权、执行权、监督权、管理权、服务权的界限。'])).toBe(true);
    const meetings = setQuestionOf('“三会”指的是哪三个会?')!;
    expect(setListed(meetings, ['严格落实“三会一课"、组织生活会、民主评议党员等制度;强化监督;推进民主。'])).toBe(false);
  });

  it('counts items separated by 、 or ；, and numbered ones', () => {
    expect(listLength('一是加强党建;二是完善网格;三是健全制度。')).toBe(3);
    expect(listLength('(1)甲。(2)乙。(3)丙。(4)丁。')).toBe(4);
    expect(listLength('认岗、认亲、认难题')).toBe(3);
  });
});

describe('questions that ask what a named thing consists of', () => {
  it('finds the members in the clause with the name, or announced right after it', () => {
    expect(namedListGiven(['两定一查'], ['芦篙村还总结出“科学定调、民主定盘、多方查漏”的“两定一查”工作方法。'])).toBe(true);
    expect(namedListGiven(['四增两减'], ['推出“四增两减”城市更新模式,即增加公共绿地、公共空间、配套设施、支路网密度,减少人口密度。'])).toBe(true);
  });

  it('does not take a list of other things beside a mere mention of the name', () => {
    const passage = '要从严从实管理,落实村干部“小微权力清单”,督促村干部履职尽责、廉洁自律、服务群众、当好表率。';
    expect(namedListGiven(['小微权力清单'], [passage])).toBe(false);
  });
});

describe('questions that ask for a figure', () => {
  it('tells years, money and counts apart, and lists from figures', () => {
    expect(figureKindOf('湘江新区是哪一年获批的?')).toBe('year');
    expect(figureKindOf('村干部的待遇大概多少钱?')).toBe('money');
    expect(figureKindOf('一个网格配几个网格员?')).toBe('count');
    expect(figureKindOf('要达到哪几个方面的要求?')).toBeUndefined();
    expect(figureKindOf('叫了三十来个人就来了几个,这种冷场咋整?')).toBeUndefined();
  });

  it('reads the figure asked for from the sentences that ask, and 几 in a yes-or-no question as "a few"', () => {
    expect(figureKindOf('我们村决策基本是几个人说了算。想问一下怎么健全基层决策机制?')).toBeUndefined();
    expect(figureKindOf('六项能力能不能先抓其中几项,别的以后再补?')).toBeUndefined();
    expect(figureKindOf('村里换届了。现在的议事会有几个人?')).toBe('count');
    expect(countUnitOf('我们组有几户困难户。一个网格员管多少户?')).toBe('户');
  });

  it('reads 几 in a clause that tells the situation before the clause that asks as "a few"', () => {
    // the 几 phrase goes on to say what they do, and a later clause asks something else
    expect(figureKindOf('村班子里有几个人能力确实跟不上,还有一个以前犯过事的,该怎么处理?')).toBeUndefined();
    expect(figureKindOf('有几个村的支部书记实在选不出合适的人,别的地方都是怎么选村支书的?')).toBeUndefined();
    // a 几 that ends its clause asks, whatever follows
    expect(figureKindOf('第一书记任期一般是几年,期满怎么考核?')).toBe('duration');
    expect(figureKindOf('这个考试一年考几次,考哪几科?')).toBe('count');
    expect(figureKindOf('村里有几个网格员能力跟不上?')).toBe('count');
  });

  it('reads a last sentence left without a question mark as asking, unless it only names "a few"', () => {
    expect(askingPart('“科技创新券”企业要怎么申领?一张面额是多少')).toBe('“科技创新券”企业要怎么申领?一张面额是多少');
    expect(figureKindOf('网格员的招聘条件是什么?一个网格一般划分多少户')).toBe('count');
    expect(countUnitOf('网格员的招聘条件是什么?一个网格一般划分多少户')).toBe('户');
    expect(askingPart('基层治理下一步的总体思路是啥?听说是几个“化”')).toBe('基层治理下一步的总体思路是啥?');
    expect(askingPart('我们村开会没人来。这个事情很头疼')).toBe('我们村开会没人来。这个事情很头疼');
    // "几个什么“化”" asks which, not how many
    expect(figureKindOf('改基层治理总的路子是啥?好像是几个什么“化”来着')).toBeUndefined();
  });

  it('reads 没几个 as "few", not as a question about a number', () => {
    expect(figureKindOf('村里叫开会都没几个人来,咋整?')).toBeUndefined();
    expect(figureKindOf('一个网格配几个网格员?')).toBe('count');
  });

  it('reads questions about who is in charge, what an exam covers, what it takes and how to reach someone', () => {
    expect(figureKindOf('社区矫正对象平时归谁管?')).toBe('agent');
    expect(figureKindOf('这个平台是哪家单位建的?')).toBe('agent');
    expect(figureKindOf('社工证考几门,都是什么科目?')).toBe('exam');
    expect(figureKindOf('报名有什么硬性条件?')).toBe('condition');
    expect(figureKindOf('群众反映问题打什么电话?')).toBe('contact');
    expect(figureKindOf('这种做法管用吗?')).toBeUndefined();
    // 谁 in a yes-or-no question is "anyone"; 创造条件 is not asking for conditions
    expect(figureKindOf('开完会是不是就不用谁来管了?')).toBeUndefined();
    expect(figureKindOf('为年轻人回村创造条件,还有什么办法?')).toBeUndefined();
  });

  it('takes a telephone or hotline number for contact details, not a year or a count', () => {
    const topic = [['党建云'], ['平台']];
    expect(figureGiven('contact', topic, ['2018年,“党建云”平台正式上线。'])).toBe(false);
    expect(figureGiven('contact', topic, ['“党建云”平台已有26000多名党员注册。'])).toBe(false);
    expect(figureGiven('contact', topic, ['“党建云”平台的服务电话向全体党员公开。'])).toBe(true);
    expect(figureGiven('contact', topic, ['群众可拨打“党建云”平台号码 022-23456789 反映问题。'])).toBe(true);
  });

  it('finds who is in charge only in a sentence about the topic that names an agent', () => {
    const topic = [['议事会'], ['决策']];
    expect(figureGiven('agent', topic, ['议事会让群众参与决策,效果明显。'])).toBe(false);
    expect(figureGiven('agent', topic, ['议事会的重大决策由村民代表会议最终审定。'])).toBe(true);
    expect(figureGiven('agent', topic, ['议事会的决策由村党总支负责召集。'])).toBe(true);
    // an agent in another sentence, about something else, does not answer
    expect(figureGiven('agent', topic, ['议事会参与村级决策。', '社区书记负责网格管理。'])).toBe(false);
    // 笔试、面试 say how people are chosen, not what the exam covers
    expect(figureGiven('exam', [['社区'], ['招聘']], ['社区工作者招聘通过笔试、面试、考察等程序。'])).toBe(false);
    expect(figureGiven('exam', [['社区'], ['招聘']], ['社区工作者招聘笔试科目为公共基础知识。'])).toBe(true);
  });

  it('answers when something began only with a sentence that says it began then', () => {
    const asked = '朝阳里社区的志愿服务最早是哪一年开始的?';
    expect(figureUnitOf('year', asked)).toBe('start');
    const topic = [['朝阳里'], ['志愿']];
    expect(figureGiven('year', topic, ['2019年初,总书记走进朝阳里社区为志愿者们点赞。'], figureUnitOf('year', asked))).toBe(false);
    expect(figureGiven('year', topic, ['朝阳里社区早在1988年就成立了志愿服务组织。'], figureUnitOf('year', asked))).toBe(true);
    // a question about when, not about a beginning, takes any year next to the topic
    expect(figureGiven('year', topic, ['2019年初,总书记走进朝阳里社区为志愿者们点赞。'], figureUnitOf('year', '总书记哪一年去的朝阳里社区看望志愿者?'))).toBe(true);
  });

  it('takes a decade for a date', () => {
    expect(figureGiven('year', ['最早'], ['它最早在20世纪90年代西方的少数几个国家中兴起。'])).toBe(true);
  });

  it('needs a district named by its own word for 哪个区', () => {
    expect(placeUnitOf('天津哪个区这么干的?')).toBe('区');
    expect(figureKindOf('天津哪个区这么干的?')).toBe('place');
    expect(figureGiven('place', ['大厅'], ['南开区建成党群服务中心,办事大厅一站式服务。'], '区')).toBe(true);
    expect(figureGiven('place', ['大厅'], ['社区建成办事大厅,小区居民一站式服务。'], '区')).toBe(false);
  });

  it('needs a place name for a question about where', () => {
    expect(figureKindOf('鹅公镇属于哪个县、哪个省?')).toBe('place');
    expect(figureGiven('place', ['鹅公镇'], ['鹅公镇党委坚持党建引领,建设城市社区和县级平台。'])).toBe(false);
    expect(figureGiven('place', ['鹅公镇'], ['鹅公镇位于湖南省新化县。'])).toBe(true);
  });

  it('reads 几个人 as a count of people, and a percentage as a share', () => {
    expect(countUnitOf('议事会每组几个人?')).toBe('人');
    // 多少分 asks for a score: a year in the passage does not give it
    expect(countUnitOf('这个考试多少分及格?')).toBe('分');
    expect(countUnitOf('开会要多少分钟?')).toBeUndefined();
    expect(figureGiven('count', [['考试']], ['从2014年起,要求参加职业水平考试。'], countUnitOf('这个考试多少分及格?'))).toBe(false);
    expect(figureGiven('count', [['议事会']], ['47位议事会成员,每组5-7人。'], countUnitOf('议事会每组几个人?'))).toBe(true);
    // people are counted in 名 and 位 too; a count of things does not answer 多少人
    expect(figureGiven('count', [['平台']], ['和平区党建数字化平台运行至今,26000多名党员全部上线注册。'], countUnitOf('那个党建平台上了多少人?'))).toBe(true);
    expect(figureGiven('count', [['平台']], ['平台发现和解决14大类问题万余条。'], countUnitOf('那个党建平台上了多少人?'))).toBe(false);
    expect(figureGiven('count', [['职权']], ['市级行政职权由9706项精简规范为3612项,精简61.7%。'], undefined, [], ['比例'])).toBe(true);
    expect(figureGiven('count', [['职权']], ['市级行政职权精简规范,效果明显,共9706项。'], undefined, [], ['比例'])).toBe(false);
  });

  it('needs a count in the unit the question names', () => {
    expect(countUnitOf('社区网格员一个人要管多少户?')).toBe('户');
    expect(countUnitOf('有多少村民和党员?')).toBeUndefined();
    expect(figureKindOf('这几个目标分别是什么?')).toBeUndefined();
    const passage = '2.完善党建网格,优化社区网格化管理。社区网格化管理是城市基层党建工作的一个新探索。';
    expect(figureGiven('count', ['社区', '网格'], [passage])).toBe(true);
    expect(figureGiven('count', ['社区', '网格'], [passage], '户')).toBe(false);
    expect(figureGiven('count', ['社区', '网格'], ['每个社区网格按300户左右划分。'], '户')).toBe(true);
  });

  it('needs the figure in a sentence on the question’s topic', () => {
    const passage = '2010年,芦篙村成立党总支。对村民议事会成员也仅有50-100补贴。湘江新区建设取得成效。';
    expect(figureGiven('money', ['议事会', '补贴'], [passage])).toBe(true);
    expect(figureGiven('year', ['湘江', '新区'], [passage])).toBe(false);
    expect(figureGiven('year', ['芦篙村', '党总支'], [passage])).toBe(true);
  });

  it('finds the topic of a figure by the essays’ words for the question’s everyday ones', () => {
    const passage = '村干部待遇1500-2200不等,难以维持基本生活需求。';
    expect(figureGiven('money', ['拿多少', '村干部'], [passage])).toBe(false);
    expect(figureGiven('money', [['拿多少', '待遇'], ['村干部']], [passage])).toBe(true);
    // a one-character word does not place a figure, whatever the essays call it
    expect(figureGiven('money', [['钱', '资金', '经费'], ['村干部']], [passage])).toBe(true);
  });

  it('reads what a figure is of from the noun before 是多少, and nothing from a verb', () => {
    expect(figureSubjectOf('湘江新区2016年的GDP是多少')).toBe('gdp');
    expect(figureSubjectOf('信访事项的办理时限是多少天?')).toBe('时限');
    expect(figureSubjectOf('村干部一个月能拿多少钱')).toBeUndefined();
    expect(figureSubjectOf('北辰区一共划了多少个网格?')).toBeUndefined();
    // 全区, 镇里 point at a place named elsewhere: the figure is not of them
    expect(figureSubjectOf('文章里说全区有多少个行政村和社区?')).toBeUndefined();
    expect(figureSubjectOf('给了镇里多少项执法权?')).toBeUndefined();
    expect(figureSubjectOf('网格员的数量是多少?')).toBe('数量');
    const passage = '2016年湘江新区新增企业3000家。';
    expect(figureGiven('count', ['湘江', '新区'], [passage])).toBe(true);
    expect(figureGiven('count', ['湘江', '新区'], [passage], undefined, [], ['GDP'])).toBe(false);
    expect(figureGiven('count', ['湘江', '新区'], [passage], undefined, [], ['企业'])).toBe(true);
  });

  it('reads a length of time or a frequency as a duration, given by a span or a 每, not by a year', () => {
    expect(figureKindOf('村民议事会成员一届任期几年?')).toBe('duration');
    expect(figureKindOf('收集到的民情多久报一次?')).toBe('duration');
    expect(figureKindOf('村“两委”换届选举多少年一次?')).toBe('duration');
    expect(figureKindOf('芦稿村是哪一年合并的?')).toBe('year');
    expect(figureGiven('duration', ['调解员', '监事会'], ['调解员需每季度上报监事会。'])).toBe(true);
    expect(figureGiven('duration', ['考试', '证书'], ['参加职业水平考试,并在两年内取得证书。'])).toBe(true);
    expect(figureGiven('duration', ['议事会', '成员'], ['芦稿村于2006年合并,议事会成员由村民选举产生。'])).toBe(false);
    // a total in working days, in the unit the question asks in (多少个工作日)
    const total = '300个审批事项的总办理时限从法定的5583个总工作日减少到1930个总工作日。';
    expect(figureGiven('duration', ['审批', '事项', '工作日'], [total], '工作日')).toBe(true);
    expect(figureGiven('duration', ['审批', '事项'], ['审批事项自2014年起全部进驻大厅。'])).toBe(false);
  });

  it('reads "几个突出问题,都是什么" as asking for the members, not how many', () => {
    expect(figureKindOf('里面点出了当前基层社会治理的几个突出问题,都是什么?')).toBeUndefined();
    expect(figureKindOf('北辰区一共有几个网格?')).toBe('count');
  });

  it('finds the members of a named point in the sentences that spell it out', () => {
    const passage = '三是加大农村党建投入,推进基层阵地建设。提高基层党建工作经费,简化基层党组织活动经费报账手续,加大对艰苦地区党组织的扶持力度。';
    expect(namedListGiven(['加大农村党建投入'], [passage])).toBe(true);
    expect(namedListGiven(['小微权力清单'], ['要落实村干部“小微权力清单”,督促村干部履职尽责。'])).toBe(false);
  });

  it('names a counted set by the character its members share (三个“化”)', () => {
    const set = setQuestionOf('材料里说社会转型期基层治理呈现出三个“化”的特点,是哪三个?');
    expect(set?.anchors).toContain('三化');
    expect(set && setListed(set, ['基层社会治理面临的形势更加严峻复杂,呈现出碎片化、分散化、矛盾化的特点。'])).toBe(true);
    expect(set && setListed(set, ['基层社会治理面临的形势更加严峻复杂,问题很多。'])).toBe(false);
  });

  it('reads past an adverb to the noun a figure is of', () => {
    expect(figureSubjectOf('国家社会工作者职业水平考试的通过率大概是多少?')).toBe('通过率');
  });

  it('does not take a count of firms for an amount of money', () => {
    expect(figureGiven('money', ['试点', '企业'], ['在三一重工等230多家企业启动智能制造试点。'])).toBe(false);
    expect(figureGiven('money', ['试点', '企业'], ['对试点企业补贴500万元。'])).toBe(true);
    // an amount is said with a word for money; a year range or a bare number is not one
    expect(figureGiven('money', ['智能制造', '行动计划'], ['实施《智能制造三年(2015—2018年)行动计划》。'])).toBe(false);
    expect(figureGiven('money', ['高速', '征地'], ['成都二绕高速征地涉及芦篙村12个村民小组。'])).toBe(false);
  });

  it('asks for a post holder\'s name only when a name stands next to that post', () => {
    expect(figureKindOf('朝阳里社区党委书记叫啥名字?')).toBe('person');
    expect(figureKindOf('这篇文章的作者是谁?')).toBeUndefined();
    expect(figureKindOf('村里到底是谁说了算?')).toBeUndefined();
    // 村支书 is the village Party branch secretary: a post too
    expect(figureKindOf('芦篙村村支书叫什么名字?')).toBe('person');
    expect(figureGiven('person', ['社区', '党委'], ['朝阳里社区党委书记张丽华带领居民开展志愿服务。'], '书记')).toBe(true);
    // 总书记 is another post, and a post with no name next to it names nobody
    expect(figureGiven('person', ['社区', '党委'], ['2019年初,习近平总书记走进朝阳里社区党委为志愿者们点赞。'], '书记')).toBe(false);
    expect(figureGiven('person', ['社区', '党委'], ['社区党委书记带头走访。'], '书记')).toBe(false);
  });

  it('reads 第几条 as asking for an article number', () => {
    expect(figureKindOf('村民委员会组织法对任期的规定在第几条?')).toBe('count');
    expect(countUnitOf('村民委员会组织法对任期的规定在第几条?')).toBe('条');
    expect(figureGiven('count', ['村民', '任期'], ['村民委员会每届任期五年。'], '条')).toBe(false);
    expect(figureGiven('count', ['村民', '任期'], ['组织法第11条规定,村民委员会每届任期五年。'], '条')).toBe(true);
  });

  it('does not take a year, an age or a count for an amount of money', () => {
    const passage = '从2014年起,天津市要求45周岁以下的专职社区工作者参加考试。第一次议事会有33位成员到场。';
    expect(figureGiven('money', ['专职', '社区'], [passage])).toBe(false);
    expect(figureGiven('money', ['议事会', '成员'], [passage])).toBe(false);
    expect(figureGiven('money', ['村干部', '待遇'], ['村干部待遇1500-2200元。'])).toBe(true);
  });

  it('needs the figure next to what the question names, and not inside a name', () => {
    const question = '村干部“小微权力清单”一般列了多少项权力?';
    expect(quotedNames(question)).toEqual(['小微权力清单']);
    const passages = ['落实村干部“小微权力清单”,督促村干部用好权力。', '率先实施权力清单制度,市级行政职权由9706项精简规范为3612项。'];
    expect(figureGiven('count', ['村干部', '权力', '清单'], passages, '项')).toBe(true);
    expect(figureGiven('count', ['村干部', '权力', '清单'], passages, '项', quotedNames(question))).toBe(false);
    expect(figureGiven('year', ['十八届', '三中全会'], ['党中央在十八届三中全会上首次提出了“社会治理”。'])).toBe(false);
    expect(figureGiven('year', ['三中全会'], ['2013年,十八届三中全会首次提出了“社会治理”。'])).toBe(true);
  });
});
