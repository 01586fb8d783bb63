import { describe, expect, it } from 'vitest';
import type { Essay } from '../../src/knowledge/types.ts';
import { essaySources, referencedEssays } from '../../src/retrieval/essay-reference.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

const essay = (id: string, fields: Partial<Essay>): Essay => ({ id, title: '', authors: [], keywords: [], file: `${id}.md`, text: '', paragraphs: [], ...fields });
const essays = [
  essay('a', { authors: ['李万钧'], institution: '北京市民政局党委', publication: '理论视野' }),
  essay('b', { authors: ['张青'], institution: '中共广东省委党校(广东行政学院)行政学教研部', publication: '社会治理' }),
  essay('c', { authors: ['王宝珍', '朱玉红'], publication: '新一代' }),
];
// how many essays name a word anywhere: only the places, offices and journals here are rare
const RARE = new Set(['北京', '北京市', '民政局', '广东', '广东省委', '省委党校', '理论视野', '新一代']);
const naming = (word: string): number => (RARE.has(word) ? 1 : 5);
const sources = essaySources(essays, naming);

describe('essays a question names by author or source', () => {
  it('finds an author anywhere, and an institution or publication when the question talks about an essay', () => {
    expect([...referencedEssays('张青那篇是拿哪个城市做例子的', sources, true)]).toEqual(['b']);
    expect([...referencedEssays('朱玉红说的民族地区问题', sources, false)]).toEqual(['c']);
    expect([...referencedEssays('北京民政局那篇说的毛病有哪些', sources, true)]).toEqual(['a']);
    expect([...referencedEssays('广东省委党校和北京民政局那两篇有啥不同', sources, true)].sort()).toEqual(['a', 'b']);
  });

  it('does not take the asker’s own workplace or a word many essays use for a reference', () => {
    // no talk of an essay: "我在北京民政局上班" is who is asking
    expect(referencedEssays('我在北京民政局上班,社区治理怎么搞', sources, false).size).toBe(0);
    // 党校 and 社会治理 are said in many essays
    expect(referencedEssays('我是县委党校的老师,有篇文章讲社会治理', sources, true).size).toBe(0);
  });

  it('puts the named essay’s passages first, even on a topic other essays say more about', async () => {
    const { retriever } = await sharedIndex();
    expect((await retriever.search('李万钧那篇文章对社区治理怎么看?', { k: 3 })).hits[0].essay.id).toBe('p01');
    expect((await retriever.search('北京民政局那篇讲社区治理有哪些问题?', { k: 3, ignoreFloor: true })).hits[0].essay.id).toBe('p01');
    const own = await retriever.search('我在县委党校工作,村干部培训一般怎么搞?', { k: 3 });
    expect(own.hits.map((hit) => hit.essay.id)).not.toContain('p08');
  });
});
